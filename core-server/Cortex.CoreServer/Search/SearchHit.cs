namespace Cortex.CoreServer.Search;

/// <summary>
/// One search result with enough to cite it. <see cref="SnippetHtml"/> is HTML-escaped text whose only markup is
/// <c>&lt;mark&gt;</c> around matched terms.
/// </summary>
public sealed record SearchHit
{
    public required string Kind { get; init; }
    public required string Id { get; init; }
    /// <summary>The thread a thread or comment hit belongs to; null for observations and artifacts.</summary>
    public string? ThreadId { get; init; }
    public required string Title { get; init; }
    public required string Subcortex { get; init; }
    public required string SnippetHtml { get; init; }
    /// <summary>The final score: fused relevance plus the trust adjustment; higher is better.</summary>
    public required double Rank { get; init; }
    /// <summary>canon, accepted, reviewed, comment or observation.</summary>
    public required string Trust { get; init; }
    /// <summary>No longer maintained (its subcortex is archived); ranked lower.</summary>
    public required bool Stale { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
}
