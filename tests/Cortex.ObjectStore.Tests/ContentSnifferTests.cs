using System.Text;
using Xunit;

namespace Cortex.ObjectStore.Tests;

public sealed class ContentSnifferTests
{
    public static TheoryData<byte[], string> Samples => new()
    {
        { [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13], ContentSniffer.Png },
        { [0xFF, 0xD8, 0xFF, 0xE0, 0, 16], ContentSniffer.Jpeg },
        { "GIF89a\x01\x00"u8.ToArray(), ContentSniffer.Gif },
        { "GIF87a"u8.ToArray(), ContentSniffer.Gif },
        { "%PDF-1.7\n%\xE2\xE3"u8.ToArray(), ContentSniffer.Pdf },
        { [0x50, 0x4B, 0x03, 0x04, 20, 0], ContentSniffer.Zip },
        { [0x50, 0x4B, 0x05, 0x06, 0, 0], ContentSniffer.Zip },
        { [0x1F, 0x8B, 0x08, 0x00], ContentSniffer.Gzip },
        { "{\"a\": [1, 2, {\"b\": null}]}"u8.ToArray(), ContentSniffer.Json },
        { "  \n[1, 2, 3]"u8.ToArray(), ContentSniffer.Json },
        { "\uFEFF{\"bom\": true}"u8.ToArray(), ContentSniffer.Json },
        { "Plain notes, with ümlauts and 日本語.\r\n\tIndented."u8.ToArray(), ContentSniffer.PlainText },
        { "{ this is not json"u8.ToArray(), ContentSniffer.PlainText },
        { "[1, 2,"u8.ToArray(), ContentSniffer.PlainText },
        { [0x00, 0x01, 0x02, 0x03], ContentSniffer.OctetStream },
        { "text with a NUL\0 inside"u8.ToArray(), ContentSniffer.OctetStream },
        { [0xC3, 0x28, 0x41], ContentSniffer.OctetStream },
        { [], ContentSniffer.OctetStream },
        { [0x7F, 0x45, 0x4C, 0x46, 2, 1, 1, 0], ContentSniffer.OctetStream },
    };

    [Theory]
    [MemberData(nameof(Samples))]
    public void Whole_content_is_sniffed_by_its_bytes(byte[] content, string expected) =>
        Assert.Equal(expected, ContentSniffer.Sniff(content, isComplete: true));

    [Fact]
    public void A_head_that_cuts_a_multi_byte_character_or_an_open_json_value_still_counts()
    {
        var text = Encoding.UTF8.GetBytes(new string('é', 400));
        var json = Encoding.UTF8.GetBytes("{\"items\": [" + string.Join(',', Enumerable.Range(0, 300)) + "]}");

        Assert.Equal(ContentSniffer.PlainText, ContentSniffer.Sniff(text.AsSpan(0, 511)));
        Assert.Equal(ContentSniffer.Json, ContentSniffer.Sniff(json.AsSpan(0, ContentSniffer.HeadLength)));
        Assert.Equal(ContentSniffer.OctetStream, ContentSniffer.Sniff(text.AsSpan(0, 511), isComplete: true));
    }

    [Fact]
    public async Task A_seekable_stream_is_sniffed_and_rewound()
    {
        using var stream = new MemoryStream("%PDF-1.4 rest"u8.ToArray());
        stream.Position = 0;

        Assert.Equal(ContentSniffer.Pdf, await ContentSniffer.SniffAsync(stream));
        Assert.Equal(0, stream.Position);
    }
}
