namespace Cortex.LocalSearch;

/// <summary>Which retrievers a search uses; hybrid unless a caller asks for one side (for comparison and debugging).</summary>
public enum SearchMode
{
    Hybrid,
    Keyword,
    Semantic,
}

/// <summary>Restricts a search. Empty or null lists mean "any"; the time range bounds <c>updated</c>, both ends inclusive.</summary>
public sealed record SearchFilter(
    IReadOnlyList<string>? Subcortexes = null,
    IReadOnlyList<SearchItemKind>? Kinds = null,
    IReadOnlyList<TrustLevel>? TrustLevels = null,
    DateTimeOffset? UpdatedFrom = null,
    DateTimeOffset? UpdatedTo = null)
{
    public static SearchFilter None { get; } = new();
}

/// <param name="Query">What the user or agent typed.</param>
/// <param name="Filter">Restrictions; none when null.</param>
/// <param name="Limit">How many hits to return (1 to 100).</param>
/// <param name="Mode">Hybrid, or one side alone.</param>
public sealed record SearchRequest(string Query, SearchFilter? Filter = null, int Limit = 10, SearchMode Mode = SearchMode.Hybrid);
