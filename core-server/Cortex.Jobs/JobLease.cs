using System.Text.Json;

namespace Cortex.Jobs;

/// <summary>
/// A job taken by a worker. <see cref="WorkerId"/> and <see cref="Attempt"/> together fence the lease: once it
/// expires and someone else takes the job, this worker's heartbeat, completion or failure no longer applies.
/// </summary>
public sealed record JobLease(
    long JobId,
    string Kind,
    JsonElement Payload,
    int Attempt,
    int MaxAttempts,
    string WorkerId,
    DateTimeOffset LockedUntil,
    DateTimeOffset EnqueuedAt);
