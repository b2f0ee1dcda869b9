using System.Buffers;
using System.Text.RegularExpressions;

namespace Cortex.SecretScanning.Detection;

/// <summary>
/// Finds values assigned to secret-looking names: <c>NAME=value</c>, <c>name: value</c>, <c>"name": "value"</c>,
/// <c>name := "value"</c>, <c>['name'] = 'value'</c>, <c>("NAME", "value")</c> and <c>--name value</c>.
/// </summary>
/// <remarks>
/// Hand-written rather than one regular expression: a pattern with an open-ended name, separator and value made the
/// non-backtracking engine give up on its DFA and crawl on inputs such as "password=" repeated (minutes for
/// megabytes). Here a tiny keyword pattern finds names, and each name, separator and value is read once: the scan
/// resumes after the value, so the work stays linear.
/// </remarks>
internal sealed class AssignmentDetector(
    string id,
    string kind,
    string keywordPattern,
    Func<string, bool> isName,
    SearchValues<char> valueCharacters,
    int minLength,
    Func<Candidate, bool> accept) : Detector(id, kind, DetectorTier.Assignment)
{
    private const int MaxValueLength = 4096;

    private static readonly SearchValues<char> NameCharacters =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-");

    private readonly Regex _keyword = new(keywordPattern, RegexDetector.Options | RegexOptions.IgnoreCase, RegexDetector.MatchTimeout);

    public override string Pattern => _keyword.ToString();

    public override IEnumerable<Candidate> Find(string text)
    {
        var position = 0;
        while (position < text.Length)
        {
            var keyword = _keyword.Match(text, position);
            if (!keyword.Success)
            {
                yield break;
            }

            var nameStart = keyword.Index;
            while (nameStart > 0 && NameCharacters.Contains(text[nameStart - 1]))
            {
                nameStart--;
            }

            var nameEnd = keyword.Index + keyword.Length;
            while (nameEnd < text.Length && NameCharacters.Contains(text[nameEnd]))
            {
                nameEnd++;
            }

            position = nameEnd;
            var valueStart = ValueStart(text, nameStart, nameEnd);
            if (valueStart < 0 || !isName(text[nameStart..nameEnd]))
            {
                continue;
            }

            var valueEnd = valueStart;
            while (valueEnd < text.Length && valueCharacters.Contains(text[valueEnd]))
            {
                valueEnd++;
            }

            position = Math.Max(position, valueEnd);
            var candidate = new Candidate(text, valueStart, valueEnd - valueStart);
            if (candidate.Length >= minLength && candidate.Length <= MaxValueLength && accept(candidate))
            {
                yield return candidate;
            }
        }
    }

    // Where the value starts after the separator that follows the name, or -1 when no separator follows.
    private static int ValueStart(string text, int nameStart, int nameEnd)
    {
        var i = nameEnd;
        if (i < text.Length && text[i] is '"' or '\'')
        {
            var afterQuote = SkipBlanks(text, i + 1);
            if (afterQuote < text.Length && text[afterQuote] == ',')
            {
                var next = SkipBlanks(text, afterQuote + 1);
                return next < text.Length && text[next] is '"' or '\'' ? next + 1 : -1;
            }

            i++;
        }

        if (i < text.Length && text[i] == ']')
        {
            i++;
        }

        i = SkipBlanks(text, i);
        if (i + 1 < text.Length && ((text[i] == ':' && text[i + 1] == '=') || (text[i] == '=' && text[i + 1] == '>')))
        {
            i += 2;
        }
        else if (i < text.Length && text[i] is ':' or '=')
        {
            i++;
        }
        else if (text[nameStart] == '-' && i > nameEnd)
        {
            // A command-line flag: "--api-key VALUE".
        }
        else
        {
            return -1;
        }

        i = SkipBlanks(text, i);
        return i < text.Length && text[i] is '"' or '\'' or '`' ? i + 1 : i;
    }

    private static int SkipBlanks(string text, int i)
    {
        while (i < text.Length && text[i] is ' ' or '\t')
        {
            i++;
        }

        return i;
    }
}
