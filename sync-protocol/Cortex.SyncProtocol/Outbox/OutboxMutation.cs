using MessagePack;

namespace Cortex.SyncProtocol;

/// <summary>
/// A write queued by a replica. <see cref="ClientId"/> is the idempotency key: the server applies a client id once
/// and answers a repeat with the first verdict. <see cref="Kind"/> is one of <see cref="MutationKinds"/>;
/// <see cref="Payload"/> is the request body as UTF-8 JSON in the REST API's shape.
/// </summary>
[MessagePackObject]
public sealed record OutboxMutation
{
    [Key(0)] public required string ClientId { get; init; }
    [Key(1)] public required string Kind { get; init; }
    /// <summary>The feed entity name the mutation targets (the parent for creations, e.g. the thread of a new comment).</summary>
    [Key(2)] public string? TargetEntity { get; init; }
    [Key(3)] public string? TargetId { get; init; }
    [Key(4)] public required byte[] Payload { get; init; }
    /// <summary>The target's version the write was made against, for optimistic concurrency; null when not applicable.</summary>
    [Key(5)] public long? BaseVersion { get; init; }
    [Key(6)] public long CreatedAtUnixMs { get; init; }
}
