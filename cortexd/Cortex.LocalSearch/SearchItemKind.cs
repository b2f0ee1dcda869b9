namespace Cortex.LocalSearch;

/// <summary>What a searchable item is; stored as lower-case text in <c>search_item.kind</c>.</summary>
public enum SearchItemKind
{
    Thread,
    Comment,
    Observation,
    Artifact,
    Draft,
    Task,
}
