namespace Cortex.CoreServer.Admin;

/// <summary>
/// One admin reindex and how far it has come. <see cref="Processed"/> of <see cref="Total"/> items are done in the
/// current <see cref="Phase"/>; a run interrupted by a crash resumes after the last committed chunk.
/// </summary>
public sealed record ReindexRun
{
    public required string Id { get; init; }
    /// <summary>Null when the run covers every subcortex.</summary>
    public string? SubcortexId { get; init; }
    public required string[] Targets { get; init; }
    /// <summary>queued, running, succeeded or failed.</summary>
    public required string State { get; init; }
    /// <summary>embeddings, fulltext, or an index rebuild (embeddings-index, fulltext-index); null before it starts.</summary>
    public string? Phase { get; init; }
    public required long Total { get; init; }
    public required long Processed { get; init; }
    /// <summary>How many times a worker started (or resumed) the run.</summary>
    public required int Attempts { get; init; }
    public string? LastError { get; init; }
    public required string RequestedBy { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
}

public sealed record ReindexRequest(string? Subcortex, string[]? Targets);

public sealed record RebuildSummariesRequest(string? Subcortex);

public sealed record RebuildSummariesResult(int QueuedJobs);
