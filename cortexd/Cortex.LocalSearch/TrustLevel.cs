namespace Cortex.LocalSearch;

/// <summary>
/// How far an item has come through review, highest first; stored as lower-case text in <c>search_item.trust</c>.
/// Ranking prefers higher levels among near-ties (DESIGN.md, trust signals).
/// </summary>
public enum TrustLevel
{
    Canon,
    Accepted,
    Reviewed,
    Comment,
    Observation,
    Draft,
}
