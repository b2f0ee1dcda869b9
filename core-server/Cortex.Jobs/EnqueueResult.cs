namespace Cortex.Jobs;

/// <summary>The job an enqueue refers to; <paramref name="Created"/> is false when a dedup key matched an unfinished job.</summary>
public sealed record EnqueueResult(long JobId, bool Created);
