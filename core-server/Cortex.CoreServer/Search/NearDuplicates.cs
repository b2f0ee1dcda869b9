using System.Text.RegularExpressions;
using Cortex.Embeddings;

namespace Cortex.CoreServer.Search;

/// <summary>
/// Canon first over its own near-duplicates, as in the replica: an observation that retells a runbook can match the
/// query's wording better than the canon it repeats, by more than trust may overturn. When two results say the same
/// thing (vectors close, cosine ≥ 0.6, and shared wording, word-set Jaccard ≥ 0.28: either alone also pairs items
/// merely on the same topic) the more trusted one moves to just above the other; nothing else moves.
/// </summary>
internal static partial class NearDuplicates
{
    private const double MinVectorSimilarity = 0.6;
    private const double MinWordJaccard = 0.28;

    public static List<ScoredItem> PreferTrusted(List<ScoredItem> ranked)
    {
        var words = new Dictionary<ScoredItem, HashSet<string>>();
        HashSet<string> WordsOf(ScoredItem item)
        {
            if (!words.TryGetValue(item, out var set))
            {
                words[item] = set = WordPattern().Matches(item.Title + " " + item.Body)
                    .Select(m => m.Value.ToLowerInvariant()).Where(w => w.Length > 2).ToHashSet(StringComparer.Ordinal);
            }

            return set;
        }

        var result = new List<ScoredItem>(ranked);
        for (var j = 1; j < result.Count; j++)
        {
            var lower = result[j];
            if (lower.Stale)
            {
                continue;
            }

            for (var i = 0; i < j; i++)
            {
                var upper = result[i];
                if (lower.TrustOrder > upper.TrustOrder && AreDuplicates(upper, lower, WordsOf(upper), WordsOf(lower)))
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

    private static bool AreDuplicates(ScoredItem a, ScoredItem b, HashSet<string> wordsA, HashSet<string> wordsB)
    {
        if (a.Vector is null || b.Vector is null || VectorMath.Cosine(a.Vector, b.Vector) < MinVectorSimilarity)
        {
            return false;
        }

        var shared = wordsA.Count(wordsB.Contains);
        var union = wordsA.Count + wordsB.Count - shared;
        return union > 0 && (double)shared / union >= MinWordJaccard;
    }

    [GeneratedRegex("[\\p{L}\\p{N}_]+")]
    private static partial Regex WordPattern();
}
