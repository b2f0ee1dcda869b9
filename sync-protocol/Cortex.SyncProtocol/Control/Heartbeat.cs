using MessagePack;

namespace Cortex.SyncProtocol;

/// <summary>The replica's health, sent periodically; the server exports it as metrics per replica.</summary>
[MessagePackObject]
public sealed record Heartbeat
{
    [Key(0)] public required string ReplicaId { get; init; }
    [Key(1)] public required long Cursor { get; init; }
    [Key(2)] public required long LagPositions { get; init; }
    [Key(3)] public required double LagSeconds { get; init; }
    [Key(4)] public required int OutboxDepth { get; init; }
    /// <summary>Age of the oldest write not yet decided by the server; null when the outbox is empty.</summary>
    [Key(5)] public double? OldestPendingAgeSeconds { get; init; }
    [Key(6)] public long SentAtUnixMs { get; init; }
}
