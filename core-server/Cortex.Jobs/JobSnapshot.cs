namespace Cortex.Jobs;

/// <summary>One row of the <c>jobs</c> table.</summary>
public sealed record JobSnapshot(
    long Id,
    string Kind,
    string PayloadJson,
    JobState State,
    int Attempts,
    int MaxAttempts,
    DateTimeOffset RunAfter,
    string? LockedBy,
    DateTimeOffset? LockedUntil,
    string? LastError,
    string? DedupKey,
    DateTimeOffset CreatedAt,
    DateTimeOffset? FinishedAt);
