using Cortex.SyncProtocol;

namespace Cortex.Replica;

/// <summary>What <c>cortex status</c> shows about the replica (connection state is the daemon's to add).</summary>
public sealed record ReplicaStatus
{
    public required SyncState Sync { get; init; }

    public required long LagPositions { get; init; }

    /// <summary>How long the cursor has been behind a head the replica knew of; zero when caught up.</summary>
    public required TimeSpan Lag { get; init; }

    public required OutboxSummary Outbox { get; init; }

    /// <summary>Age of the oldest write the server has not decided yet.</summary>
    public TimeSpan? OldestPendingAge { get; init; }

    public required IReadOnlyList<OutboxItem> RecentRejections { get; init; }

    /// <summary>Items per feed entity name (entities of <c>other_entities</c> under their own names).</summary>
    public required IReadOnlyDictionary<string, long> ItemCounts { get; init; }

    public required int DocumentCount { get; init; }

    /// <summary>The database file plus its WAL.</summary>
    public required long FileSizeBytes { get; init; }

    public required int RecentResets { get; init; }

    public required bool ResetLoopSuspected { get; init; }

    public required DateTimeOffset AsOf { get; init; }

    public bool CaughtUp => LagPositions == 0 && Outbox.Depth == 0;

    public Heartbeat ToHeartbeat() => new()
    {
        ReplicaId = Sync.ReplicaId,
        Cursor = Sync.Cursor,
        LagPositions = LagPositions,
        LagSeconds = Lag.TotalSeconds,
        OutboxDepth = Outbox.Depth,
        OldestPendingAgeSeconds = OldestPendingAge?.TotalSeconds,
        SentAtUnixMs = AsOf.ToUnixTimeMilliseconds(),
    };
}
