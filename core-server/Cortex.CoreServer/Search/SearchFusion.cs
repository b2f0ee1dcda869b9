using Cortex.SharedModel.Search;

namespace Cortex.CoreServer.Search;

/// <summary>
/// Fuses the two sides as calibrated scores, not ranks: <c>relevance = (1 − w)·cosine + w·coverage</c>, with the
/// keyword weight <c>w</c> chosen per query as the replica does (cortexd/Cortex.LocalSearch/README.md): a paraphrase
/// shares a word or two with unrelated items, so vectors decide (w = 0.1); an identifier that matches pins the answer
/// (w → 0.7); a keyword-style query that one item covers almost entirely lifts w part of the way. Plain reciprocal
/// rank fusion scores below vectors alone on paraphrases (DESIGN.md, Search). Then the shared trust weights.
/// </summary>
internal static class SearchFusion
{
    private const double KeywordWeightFloor = 0.1;
    private const double KeywordWeightCeiling = 0.7;
    private const double OrdinaryWordLift = 0.4;

    public static double KeywordWeight(SearchMode mode, bool queryHasIdentifier, IReadOnlyCollection<ScoredItem> keywordHits)
    {
        if (mode == SearchMode.Keyword)
        {
            return 1.0;
        }

        if (mode == SearchMode.Semantic || keywordHits.Count == 0)
        {
            return 0.0;
        }

        var strength = keywordHits.Max(item => item.Coverage);
        var identifier = queryHasIdentifier ? Math.Min(1.0, strength / 0.3) : 0.0;
        var ordinary = OrdinaryWordLift * SmoothStep(0.5, 0.9, strength);
        return KeywordWeightFloor + ((KeywordWeightCeiling - KeywordWeightFloor) * Math.Max(identifier, ordinary));
    }

    public static void Score(IEnumerable<ScoredItem> items, SearchMode mode, double keywordWeight, DateTimeOffset now)
    {
        var list = items.ToList();
        // An item not embedded yet (the worker lags a write) competes as the weakest vector match, not as zero.
        var missingVector = list.Where(i => i.Cosine is not null).Select(i => i.Cosine!.Value).DefaultIfEmpty(0).Min();
        foreach (var item in list)
        {
            item.Relevance = mode == SearchMode.Keyword
                ? item.KeywordRank
                : ((1 - keywordWeight) * (item.Cosine ?? missingVector)) + (keywordWeight * item.Coverage);
            item.Score = item.Relevance
                + TrustWeights.Adjustment(item.Trust, item.Stale, contradiction: false, (now - item.UpdatedAt).TotalDays);
        }
    }

    private static double SmoothStep(double edge0, double edge1, double x)
    {
        var t = Math.Clamp((x - edge0) / (edge1 - edge0), 0, 1);
        return t * t * (3 - (2 * t));
    }
}
