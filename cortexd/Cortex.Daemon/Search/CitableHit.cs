namespace Cortex.Daemon.Search;

/// <summary>One search result as agents and the CLI get it: enough to cite (id, kind, title, snippet, trust,
/// subcortex slug, last update) and whether it is a local write the server has not decided yet.</summary>
internal sealed record CitableHit(
    string Id,
    string Kind,
    string Title,
    string Snippet,
    string Trust,
    string Subcortex,
    DateTimeOffset Updated,
    bool Pending,
    bool Stale,
    string? ParentId);
