using Cortex.SharedModel.Search;

namespace Cortex.LocalSearch;

/// <summary>
/// Adaptive score fusion and trust adjustment. Both sides are calibrated scores, not ranks: cosine similarity
/// of normalized MiniLM vectors, and BM25 over the query's total IDF (how much of the query an item covers).
/// They are mixed convexly with a keyword weight chosen per query from how strongly and how specifically the
/// keyword side matched (DESIGN.md, Search: keywords add noise to paraphrases but are the only way to pin an
/// identifier).
/// </summary>
internal static class Fusion
{
    // Keyword weight for a paraphrase (the best keyword hit covers little of the query): vectors decide.
    public const double KeywordWeightFloor = 0.1;

    // Keyword weight when an identifier-like term (code, flag, error number) of the query occurs in the replica.
    public const double KeywordWeightCeiling = 0.7;

    // A keyword-style query of ordinary words (most of it matched by one item) lifts the weight this far
    // towards the ceiling.
    private const double OrdinaryWordLift = 0.4;

    // An identifier in a larger share of items than this normalized IDF implies is not specific.
    private const double SpecificIdf = 0.45;

    public static QueryProfile Profile(SearchMode mode, KeywordQuery query, IReadOnlyList<Candidate> keywordHits)
    {
        var identifierMatched = query.Units.Any(u => u.Unit.IsIdentifier && u.NormalizedIdf >= SpecificIdf);
        var specificity = query.Units.Count == 0 ? 0 : query.Units.Max(u => u.NormalizedIdf);
        var strength = keywordHits.Count == 0 ? 0 : keywordHits.Max(c => c.Keyword);
        var weight = mode switch
        {
            SearchMode.Keyword => 1.0,
            SearchMode.Semantic => 0.0,
            _ when keywordHits.Count == 0 => 0.0,
            _ => KeywordWeight(identifierMatched, specificity, strength),
        };
        return new QueryProfile(weight, query.MatchExpression, identifierMatched, specificity, strength);
    }

    private static double KeywordWeight(bool identifierMatched, double specificity, double strength)
    {
        // An identifier pins the answer even inside a longer question, so a modest coverage is enough.
        var identifier = identifierMatched ? Math.Min(1.0, strength / 0.3) : 0.0;

        // Ordinary words count only when one item covers most of the query (a keyword-style query, not a
        // paraphrase that shares a word or two with unrelated items) and those words are rare.
        var ordinary = OrdinaryWordLift * SmoothStep(0.5, 0.9, strength) * SmoothStep(0.5, 0.9, specificity);
        return KeywordWeightFloor + ((KeywordWeightCeiling - KeywordWeightFloor) * Math.Max(identifier, ordinary));
    }

    /// <summary>Sets <see cref="Candidate.Relevance"/> and <see cref="Candidate.Score"/> on every candidate.</summary>
    public static void Score(IEnumerable<Candidate> candidates, double keywordWeight, double missingVector, DateTimeOffset now)
    {
        foreach (var candidate in candidates)
        {
            var vector = candidate.Vector ?? missingVector;
            candidate.Relevance = ((1 - keywordWeight) * vector) + (keywordWeight * candidate.Keyword);
            candidate.Score = candidate.Relevance + TrustAdjustment(candidate, now);
        }
    }

    /// <summary>
    /// Additive and small on purpose: it reorders near-ties but cannot lift a weak match over one that is
    /// clearly better (a relevance gap above ~0.07). Near-duplicates are handled by <see cref="Duplicates"/>.
    /// </summary>
    public static double TrustAdjustment(Candidate candidate, DateTimeOffset now)
    {
        // The same weights as the server's hybrid search (Cortex.SharedModel.Search.TrustWeights).
        var adjustment = candidate.Trust switch
        {
            TrustLevel.Canon => TrustWeights.Canon,
            TrustLevel.Accepted => TrustWeights.Accepted,
            TrustLevel.Reviewed => TrustWeights.Reviewed,
            TrustLevel.Comment => TrustWeights.Comment,
            TrustLevel.Observation => TrustWeights.Observation,
            _ => TrustWeights.Draft,
        };
        if (candidate.Stale)
        {
            adjustment += TrustWeights.StalePenalty;
        }

        // Content flagged as contradicting other content should not be the first thing an agent reads.
        if (candidate.Contradiction)
        {
            adjustment += TrustWeights.ContradictionPenalty;
        }

        var ageDays = Math.Max(0, (now - candidate.Updated).TotalDays);
        return adjustment + (TrustWeights.RecencyBonus * Math.Pow(0.5, ageDays / TrustWeights.RecencyHalfLifeDays));
    }

    private static double SmoothStep(double edge0, double edge1, double x)
    {
        var t = Math.Clamp((x - edge0) / (edge1 - edge0), 0, 1);
        return t * t * (3 - (2 * t));
    }
}
