using System.Globalization;
using System.Text;

namespace Cortex.CoreServer.Artifacts;

/// <summary>
/// A line diff in unified form: the longest common subsequence of lines, printed as hunks with three lines of context.
/// Quadratic in lines, which is fine for documents a person reviews; bodies are capped well below where it would hurt.
/// </summary>
internal static class LineDiff
{
    private const int Context = 3;

    public static string Unified(string before, string after, string fromLabel, string toLabel)
    {
        var a = Lines(before);
        var b = Lines(after);
        var edits = Edits(a, b);
        var output = new StringBuilder();
        output.Append("--- ").Append(fromLabel).Append('\n').Append("+++ ").Append(toLabel).Append('\n');
        var i = 0;
        while (i < edits.Count)
        {
            if (edits[i].Op == ' ')
            {
                i++;
                continue;
            }

            var start = Math.Max(0, i - Context);
            var end = i;
            // Extend the hunk while the next change is within two contexts of the last one.
            while (true)
            {
                var next = end;
                while (next < edits.Count && edits[next].Op != ' ')
                {
                    next++;
                }

                end = next;
                var gap = end;
                while (gap < edits.Count && edits[gap].Op == ' ' && gap - end < 2 * Context)
                {
                    gap++;
                }

                if (gap < edits.Count && edits[gap].Op != ' ')
                {
                    end = gap;
                    continue;
                }

                end = Math.Min(edits.Count, end + Context);
                break;
            }

            AppendHunk(output, edits, start, end);
            i = end;
        }

        return output.ToString();
    }

    private static void AppendHunk(StringBuilder output, List<Edit> edits, int start, int end)
    {
        var hunk = edits.GetRange(start, end - start);
        var oldStart = hunk.FirstOrDefault(e => e.Op != '+').OldLine;
        var newStart = hunk.FirstOrDefault(e => e.Op != '-').NewLine;
        var oldCount = hunk.Count(e => e.Op != '+');
        var newCount = hunk.Count(e => e.Op != '-');
        output.Append("@@ -").Append(Range(oldCount == 0 ? OldBefore(edits, start) : oldStart, oldCount))
            .Append(" +").Append(Range(newCount == 0 ? NewBefore(edits, start) : newStart, newCount)).Append(" @@\n");
        foreach (var edit in hunk)
        {
            output.Append(edit.Op).Append(edit.Text).Append('\n');
        }
    }

    /// <summary>As GNU diff writes ranges: the count is left out when it is 1.</summary>
    private static string Range(int start, int count) =>
        count == 1 ? start.ToString(CultureInfo.InvariantCulture) : $"{start.ToString(CultureInfo.InvariantCulture)},{count.ToString(CultureInfo.InvariantCulture)}";

    private static int OldBefore(List<Edit> edits, int index) =>
        edits.Take(index).Count(e => e.Op != '+');

    private static int NewBefore(List<Edit> edits, int index) =>
        edits.Take(index).Count(e => e.Op != '-');

    private static string[] Lines(string text) =>
        text.Length == 0 ? [] : text.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n').Split('\n');

    private static List<Edit> Edits(string[] a, string[] b)
    {
        var lcs = new int[a.Length + 1, b.Length + 1];
        for (var i = a.Length - 1; i >= 0; i--)
        {
            for (var j = b.Length - 1; j >= 0; j--)
            {
                lcs[i, j] = a[i] == b[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
            }
        }

        var edits = new List<Edit>(a.Length + b.Length);
        int x = 0, y = 0;
        while (x < a.Length || y < b.Length)
        {
            if (x < a.Length && y < b.Length && a[x] == b[y])
            {
                edits.Add(new Edit(' ', a[x], x + 1, y + 1));
                x++;
                y++;
            }
            else if (x < a.Length && (y == b.Length || lcs[x + 1, y] >= lcs[x, y + 1]))
            {
                edits.Add(new Edit('-', a[x], x + 1, y));
                x++;
            }
            else
            {
                edits.Add(new Edit('+', b[y], x, y + 1));
                y++;
            }
        }

        return edits;
    }

    private readonly record struct Edit(char Op, string Text, int OldLine, int NewLine);
}
