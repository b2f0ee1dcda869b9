using System.Text.RegularExpressions;

namespace Cortex.Worker.Summaries;

/// <summary>
/// Picks a text's most representative sentences: each sentence scores the mean frequency (across the whole text) of
/// its content words, the opening sentence gets a small bonus (threads state their point first), and the best
/// <c>count</c> are returned in their original order. Deterministic and cheap; no model.
/// </summary>
internal static partial class ExtractiveSummarizer
{
    private const int MaxSentenceChars = 400;
    private const double OpeningBonus = 0.25;

    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "a", "an", "and", "are", "as", "at", "be", "been", "but", "by", "can", "do", "does", "for", "from", "had", "has",
        "have", "he", "her", "his", "i", "if", "in", "into", "is", "it", "its", "me", "my", "no", "not", "of", "on", "or",
        "our", "she", "so", "than", "that", "the", "their", "them", "then", "there", "these", "they", "this", "to", "too",
        "us", "was", "we", "were", "what", "when", "which", "who", "will", "with", "would", "you", "your",
    };

    public static IReadOnlyList<string> Summarize(IEnumerable<string> paragraphs, int count)
    {
        var sentences = paragraphs.SelectMany(Sentences).ToList();
        if (sentences.Count <= count)
        {
            return sentences;
        }

        var frequencies = new Dictionary<string, int>(StringComparer.Ordinal);
        var wordsOf = sentences.Select(s => ContentWords(s).ToList()).ToList();
        foreach (var word in wordsOf.SelectMany(w => w))
        {
            frequencies[word] = frequencies.GetValueOrDefault(word) + 1;
        }

        var max = Math.Max(1, frequencies.Values.DefaultIfEmpty(1).Max());
        var scored = sentences.Select((sentence, index) =>
        {
            var words = wordsOf[index];
            var score = words.Count == 0 ? 0 : words.Average(w => (double)frequencies[w] / max);
            return (Index: index, Score: score + (index == 0 ? OpeningBonus : 0));
        });
        return scored.OrderByDescending(s => s.Score).ThenBy(s => s.Index).Take(count)
            .OrderBy(s => s.Index).Select(s => sentences[s.Index]).ToList();
    }

    private static IEnumerable<string> Sentences(string text)
    {
        foreach (Match match in SentencePattern().Matches(MarkupPattern().Replace(text, " ")))
        {
            var sentence = WhitespacePattern().Replace(match.Value, " ").Trim();
            if (sentence.Length >= 3 && sentence.Any(char.IsLetter))
            {
                yield return sentence.Length <= MaxSentenceChars ? sentence : sentence[..MaxSentenceChars].TrimEnd() + "…";
            }
        }
    }

    private static IEnumerable<string> ContentWords(string sentence) =>
        WordPattern().Matches(sentence).Select(m => m.Value.ToLowerInvariant()).Where(w => w.Length > 2 && !StopWords.Contains(w));

    // A sentence ends at . ! ? followed by space, or at a line break (markdown lists and headings).
    [GeneratedRegex(@"[^.!?\n]+(?:[.!?]+(?=\s|$)|\n|$)")]
    private static partial Regex SentencePattern();

    // Markdown that is not prose: code fences, inline code ticks, heading and list markers, link targets.
    [GeneratedRegex(@"```[\s\S]*?```|`|^\s{0,3}(?:#{1,6}|[-*+]|\d+\.)\s+|\]\([^)]*\)|[\[\]]", RegexOptions.Multiline)]
    private static partial Regex MarkupPattern();

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhitespacePattern();

    [GeneratedRegex(@"[\p{L}\p{N}_]+")]
    private static partial Regex WordPattern();
}
