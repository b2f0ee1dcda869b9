namespace Cortex.Worker.Embeddings;

/// <summary>A reindex_runs row as the worker needs it (migration 0730).</summary>
internal sealed record ReindexRunRow
{
    public required string Id { get; init; }
    public string? SubcortexId { get; init; }
    public required string[] Targets { get; init; }
    public required string State { get; init; }
    public string? Phase { get; init; }
    public string? Cursor { get; init; }
}

public sealed record ReindexPayload(string RunId);
