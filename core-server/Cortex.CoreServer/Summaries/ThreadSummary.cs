using System.Text.Json;

namespace Cortex.CoreServer.Summaries;

/// <summary>A thread's extractive summary: its most representative sentences, in their original order.</summary>
public sealed record ThreadSummary
{
    public required string ThreadId { get; init; }
    public required string Summary { get; init; }
    public required int Sentences { get; init; }
    /// <summary>The thread version and comment count the summary was computed from; older than the thread means a rebuild is queued.</summary>
    public required long ThreadVersion { get; init; }
    public required int CommentCount { get; init; }
    public required DateTimeOffset ComputedAt { get; init; }
}

/// <summary>A subcortex's digest: counts, canon, and the latest threads with their summaries (JSON computed by the worker).</summary>
public sealed record SubcortexDigest
{
    public required string SubcortexId { get; init; }
    public required JsonElement Digest { get; init; }
    public required DateTimeOffset ComputedAt { get; init; }
}
