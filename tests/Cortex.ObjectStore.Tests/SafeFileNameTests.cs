using Xunit;

namespace Cortex.ObjectStore.Tests;

public sealed class SafeFileNameTests
{
    [Theory]
    [InlineData("report.pdf", "report.pdf")]
    [InlineData("../../etc/passwd", "passwd")]
    [InlineData("..\\..\\windows\\system32\\cmd.exe", "cmd.exe")]
    [InlineData("C:\\Users\\ada\\Quarterly Report (final).xlsx", "Quarterly Report (final).xlsx")]
    [InlineData("/absolute/path/notes.md", "notes.md")]
    [InlineData("..", "file")]
    [InlineData("...", "file")]
    [InlineData(".bashrc", "bashrc")]
    [InlineData("", "file")]
    [InlineData(null, "file")]
    [InlineData("   ", "file")]
    [InlineData("dir/", "file")]
    [InlineData("bad\0name\u0007.txt", "badname.txt")]
    [InlineData("line\nbreak.txt", "line break.txt")]
    [InlineData("invoice\u202Efdp.exe", "invoicefdp.exe")]
    [InlineData("what?<is>:this|*.txt", "what__is__this__.txt")]
    [InlineData("CON", "_CON")]
    [InlineData("con.txt", "_con.txt")]
    [InlineData("LPT1.tar.gz", "_LPT1.tar.gz")]
    [InlineData("CONSOLE.txt", "CONSOLE.txt")]
    [InlineData("trailing. . .", "trailing")]
    [InlineData("Résumé – 日本語.docx", "Résumé – 日本語.docx")]
    [InlineData("tab\there.txt", "tab here.txt")]
    public void Names_keep_their_readable_part_and_lose_everything_dangerous(string? input, string expected) =>
        Assert.Equal(expected, SafeFileName.Sanitize(input));

    [Fact]
    public void Long_names_are_cut_to_255_utf8_bytes_keeping_the_extension_and_whole_characters()
    {
        var name = string.Concat(Enumerable.Repeat("日本", 200)) + ".pdf";

        var safe = SafeFileName.Sanitize(name);

        Assert.StartsWith("日本日本", safe, StringComparison.Ordinal);
        Assert.EndsWith(".pdf", safe, StringComparison.Ordinal);
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(safe) <= SafeFileName.MaxUtf8Bytes);
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(safe) > SafeFileName.MaxUtf8Bytes - 6);
    }

    [Fact]
    public void The_fallback_is_configurable()
    {
        Assert.Equal("attachment", SafeFileName.Sanitize("../", "attachment"));
    }
}
