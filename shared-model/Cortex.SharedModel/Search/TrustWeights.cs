namespace Cortex.SharedModel.Search;

/// <summary>
/// The trust signals both rankings apply after fusing keyword and vector relevance (DESIGN.md, Search): the server's
/// hybrid search and the replica's. Additive and small on purpose: they reorder near-ties but cannot lift a weak
/// match over one that is clearly better (a relevance gap above ~0.07). Values measured on the replica's labelled
/// set (cortexd/Cortex.LocalSearch/README.md).
/// </summary>
public static class TrustWeights
{
    public const double Canon = 0.05;
    public const double Accepted = 0.035;
    public const double Reviewed = 0.02;
    public const double Comment = 0.0;
    public const double Observation = -0.01;
    public const double Draft = -0.02;

    /// <summary>Past its review date (or otherwise no longer maintained).</summary>
    public const double StalePenalty = -0.06;

    /// <summary>Flagged as contradicting other content: not the first thing an agent should read.</summary>
    public const double ContradictionPenalty = -0.1;

    /// <summary>The bonus of brand-new content; it halves every <see cref="RecencyHalfLifeDays"/>.</summary>
    public const double RecencyBonus = 0.015;

    public const double RecencyHalfLifeDays = 90;

    /// <summary>The trust tier names, highest first, as they appear in search results and filters.</summary>
    public static IReadOnlyList<string> Tiers { get; } = ["canon", "accepted", "reviewed", "comment", "observation", "draft"];

    public static double ForTier(string tier) => tier switch
    {
        "canon" => Canon,
        "accepted" => Accepted,
        "reviewed" => Reviewed,
        "comment" => Comment,
        "observation" => Observation,
        _ => Draft,
    };

    /// <summary>The whole adjustment of one result.</summary>
    public static double Adjustment(string tier, bool stale, bool contradiction, double ageDays)
    {
        var adjustment = ForTier(tier);
        if (stale)
        {
            adjustment += StalePenalty;
        }

        if (contradiction)
        {
            adjustment += ContradictionPenalty;
        }

        return adjustment + (RecencyBonus * Math.Pow(0.5, Math.Max(0, ageDays) / RecencyHalfLifeDays));
    }
}
