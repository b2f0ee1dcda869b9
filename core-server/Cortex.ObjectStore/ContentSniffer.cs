using System.Buffers;
using System.Text.Json;
using System.Text.Unicode;

namespace Cortex.ObjectStore;

/// <summary>
/// Media types from the first bytes of content (magic numbers first, then UTF-8 text and JSON), never from
/// what a client claims. Unknown content is <c>application/octet-stream</c>.
/// </summary>
public static class ContentSniffer
{
    /// <summary>How many leading bytes <see cref="Sniff"/> looks at.</summary>
    public const int HeadLength = 512;

    public const string OctetStream = "application/octet-stream";
    public const string Png = "image/png";
    public const string Jpeg = "image/jpeg";
    public const string Gif = "image/gif";
    public const string Pdf = "application/pdf";
    public const string Zip = "application/zip";
    public const string Gzip = "application/gzip";
    public const string Json = "application/json";
    public const string PlainText = "text/plain; charset=utf-8";

    private static ReadOnlySpan<byte> PngMagic => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
    private static ReadOnlySpan<byte> JpegMagic => [0xFF, 0xD8, 0xFF];
    private static ReadOnlySpan<byte> Gif87Magic => "GIF87a"u8;
    private static ReadOnlySpan<byte> Gif89Magic => "GIF89a"u8;
    private static ReadOnlySpan<byte> PdfMagic => "%PDF-"u8;
    private static ReadOnlySpan<byte> ZipMagic => [0x50, 0x4B, 0x03, 0x04];
    private static ReadOnlySpan<byte> EmptyZipMagic => [0x50, 0x4B, 0x05, 0x06];
    private static ReadOnlySpan<byte> GzipMagic => [0x1F, 0x8B];
    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    /// <summary>
    /// Sniffs <paramref name="head"/>, the first up to <see cref="HeadLength"/> bytes of the content;
    /// <paramref name="isComplete"/> says the head is the whole content (so a cut UTF-8 sequence or an
    /// unfinished JSON value at its end counts against it).
    /// </summary>
    public static string Sniff(ReadOnlySpan<byte> head, bool isComplete = false)
    {
        if (head.StartsWith(PngMagic))
        {
            return Png;
        }

        if (head.StartsWith(JpegMagic))
        {
            return Jpeg;
        }

        if (head.StartsWith(Gif87Magic) || head.StartsWith(Gif89Magic))
        {
            return Gif;
        }

        if (head.StartsWith(PdfMagic))
        {
            return Pdf;
        }

        if (head.StartsWith(ZipMagic) || head.StartsWith(EmptyZipMagic))
        {
            return Zip;
        }

        if (head.StartsWith(GzipMagic))
        {
            return Gzip;
        }

        if (head.IsEmpty || !IsText(head, isComplete))
        {
            return OctetStream;
        }

        return LooksLikeJson(head, isComplete) ? Json : PlainText;
    }

    /// <summary>Reads up to <see cref="HeadLength"/> bytes of a seekable stream, sniffs them and rewinds.</summary>
    public static async Task<string> SniffAsync(Stream seekable, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(seekable);
        if (!seekable.CanSeek)
        {
            throw new ArgumentException("The stream must be seekable; sniff while streaming instead.", nameof(seekable));
        }

        var start = seekable.Position;
        var buffer = new byte[HeadLength];
        var read = await seekable.ReadAtLeastAsync(buffer, HeadLength, throwOnEndOfStream: false, cancellationToken)
            .ConfigureAwait(false);
        var complete = read < HeadLength;
        seekable.Position = start;
        return Sniff(buffer.AsSpan(0, read), complete);
    }

    private static bool IsText(ReadOnlySpan<byte> head, bool isComplete)
    {
        var text = head.StartsWith(Utf8Bom) ? head[Utf8Bom.Length..] : head;
        var chars = new char[text.Length];

        // With isFinalBlock false, a multi-byte sequence cut by the end of the head is NeedMoreData, not invalid.
        var status = Utf8.ToUtf16(text, chars, out _, out var written, replaceInvalidSequences: false,
            isFinalBlock: isComplete);
        if (status == OperationStatus.InvalidData)
        {
            return false;
        }

        foreach (var c in chars.AsSpan(0, written))
        {
            if (char.IsControl(c) && c is not ('\t' or '\n' or '\r' or '\f'))
            {
                return false;
            }
        }

        return true;
    }

    private static bool LooksLikeJson(ReadOnlySpan<byte> head, bool isComplete)
    {
        var text = head.StartsWith(Utf8Bom) ? head[Utf8Bom.Length..] : head;
        var trimmed = text.TrimStart(" \t\r\n"u8);
        if (trimmed.IsEmpty || trimmed[0] is not ((byte)'{' or (byte)'['))
        {
            return false;
        }

        var reader = new Utf8JsonReader(trimmed, isFinalBlock: isComplete, state: default);
        try
        {
            while (reader.Read())
            {
            }

            return !isComplete || reader.CurrentDepth == 0;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
