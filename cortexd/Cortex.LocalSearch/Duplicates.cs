using Cortex.Embeddings;

namespace Cortex.LocalSearch;

/// <summary>
/// Canon first over its own near-duplicates. An observation that retells a runbook, or a comment that repeats
/// its thread, can match a query's wording better than the reviewed original; the trust bonus alone cannot
/// close that gap without burying genuinely better answers. So when two results say the same thing, the more
/// trusted one is moved up to just above the other, and nothing else moves.
/// "The same thing" needs both: vectors close (cosine ≥ 0.6) and shared wording (word-set Jaccard ≥ 0.28).
/// Either alone also pairs items that are only on the same topic (measured on the labelled set, README.md).
/// </summary>
internal static class Duplicates
{
    private const double MinVectorSimilarity = 0.6;
    private const double MinWordJaccard = 0.28;

    // Long bodies are compared by their beginning; duplicates differ early if they differ at all.
    private const int ComparedChars = 2000;

    public sealed record Content(float[]? Vector, string Title, string Body);

    public static List<Candidate> PreferTrusted(List<Candidate> ranked, IReadOnlyDictionary<long, Content> contents)
    {
        var words = new Dictionary<long, HashSet<string>>();
        HashSet<string> WordsOf(long rowId)
        {
            if (!words.TryGetValue(rowId, out var set))
            {
                var content = contents[rowId];
                var text = content.Title + " " + content.Body[..Math.Min(content.Body.Length, ComparedChars)];
                words[rowId] = set = QueryAnalyzer.Analyze(text).SelectMany(u => u.Tokens).ToHashSet(StringComparer.Ordinal);
            }

            return set;
        }

        // Word sets cost ~50–100 µs an item (QueryAnalyzer on the whole text), so they are built only for pairs whose
        // vectors are already close enough.
        bool AreDuplicates(long upper, long lower)
        {
            var (a, b) = (contents[upper], contents[lower]);
            if (a.Vector is null || b.Vector is null || VectorMath.Cosine(a.Vector, b.Vector) < MinVectorSimilarity)
            {
                return false;
            }

            var (wordsA, wordsB) = (WordsOf(upper), WordsOf(lower));
            var shared = wordsA.Count(wordsB.Contains);
            var union = wordsA.Count + wordsB.Count - shared;
            return union > 0 && (double)shared / union >= MinWordJaccard;
        }

        var result = new List<Candidate>(ranked);
        for (var j = 1; j < result.Count; j++)
        {
            var lower = result[j];
            if (lower.Stale || lower.Contradiction)
            {
                continue;
            }

            for (var i = 0; i < j; i++)
            {
                var upper = result[i];
                if (lower.Trust < upper.Trust && AreDuplicates(upper.RowId, lower.RowId))
                {
                    result.RemoveAt(j);
                    result.Insert(i, lower);
                    lower.Score = Math.Max(lower.Score, upper.Score);
                    break;
                }
            }
        }

        return result;
    }
}
