using Cortex.CoreServer.Artifacts;
using Xunit;

namespace Cortex.CoreServer.FunctionalTests;

/// <summary>The artifact diff against outputs of Python's <c>difflib.unified_diff</c> (GNU diff's format) for the same inputs.</summary>
public sealed class LineDiffTests
{
    [Fact]
    public void Distant_changes_get_separate_hunks_with_three_lines_of_context()
    {
        var before = string.Join('\n', Enumerable.Range(1, 20).Select(i => $"line {i}"));
        var after = before.Replace("line 2\n", "LINE 2\n", StringComparison.Ordinal).Replace("line 18\n", "LINE 18\n", StringComparison.Ordinal);
        Assert.Equal(
            "--- v1\n+++ v2\n@@ -1,5 +1,5 @@\n line 1\n-line 2\n+LINE 2\n line 3\n line 4\n line 5\n" +
            "@@ -15,6 +15,6 @@\n line 15\n line 16\n line 17\n-line 18\n+LINE 18\n line 19\n line 20\n",
            LineDiff.Unified(before, after, "v1", "v2"));
    }

    [Theory]
    [InlineData("b\nc", "a\nb\nc", "@@ -1,2 +1,3 @@\n+a\n b\n c\n")]
    [InlineData("", "x\ny", "@@ -0,0 +1,2 @@\n+x\n+y\n")]
    [InlineData("a\nb\nc\nd", "a\nb\nc", "@@ -1,4 +1,3 @@\n a\n b\n c\n-d\n")]
    [InlineData("1\n2\n3\n4\n5\n6\n7\n8\n9", "1\nX\n3\n4\n5\n6\n7\nY\n9", "@@ -1,9 +1,9 @@\n 1\n-2\n+X\n 3\n 4\n 5\n 6\n 7\n-8\n+Y\n 9\n")]
    [InlineData("same\r\ntext\n", "same\ntext", "")]
    public void Hunks_match_the_unified_format(string before, string after, string hunks)
    {
        Assert.Equal("--- v1\n+++ v2\n" + hunks, LineDiff.Unified(before, after, "v1", "v2"));
    }
}
