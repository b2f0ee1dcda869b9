using Cortex.Daemon.Sync;
using Cortex.Replica;

namespace Cortex.Daemon.LocalApi;

/// <summary>What <c>cortex status --json</c> prints: the fields the design's Sync section lists, machine-readably.</summary>
internal sealed record DaemonStatus
{
    public required bool Connected { get; init; }

    /// <summary>True while the live change stream flows: commits arrive as they happen rather than by a pull per push.</summary>
    public bool Live { get; init; }
    public required string ServerUrl { get; init; }
    public string? Principal { get; init; }
    public required string ReplicaId { get; init; }
    public required long Epoch { get; init; }
    public required long Cursor { get; init; }
    public required long Head { get; init; }
    public DateTimeOffset? LastSuccessfulSync { get; init; }
    public required long LagPositions { get; init; }
    public required double LagSeconds { get; init; }
    public required bool CaughtUp { get; init; }
    public BootstrapStatus? Bootstrap { get; init; }
    public required int OutboxDepth { get; init; }
    public double? OldestPendingAgeSeconds { get; init; }
    public required IReadOnlyDictionary<string, int> OutboxByState { get; init; }
    public required IReadOnlyList<RejectionStatus> RecentRejections { get; init; }
    public required long ReplicaSizeBytes { get; init; }
    public required IReadOnlyDictionary<string, long> ItemCounts { get; init; }
    public required int DocumentCount { get; init; }
    public required bool ResetLoopSuspected { get; init; }

    /// <summary>Secrets redacted from this workspace's writes before they were queued, by kind.</summary>
    public IReadOnlyDictionary<string, long> SecretRedactions { get; init; } = new Dictionary<string, long>();
    public string? LastError { get; init; }
    public string? Warning { get; init; }

    public static DaemonStatus From(ReplicaStatus replica, SyncEngine engine, TimeSpan staleAfter)
    {
        var sync = replica.Sync;
        var stale = sync.LastSyncAt is not { } last || replica.AsOf - last > staleAfter;
        string? warning = engine.FatalError
            ?? (replica.ResetLoopSuspected ? "reset loop suspected: the server keeps resetting this replica" : null)
            ?? (!engine.Connected && stale ? $"stale: not connected and no successful sync for over {staleAfter.TotalMinutes:0} minutes" : null)
            ?? (!engine.Connected ? "offline: reads come from the replica; writes wait in the outbox" : null);
        return new DaemonStatus
        {
            Connected = engine.Connected,
            Live = engine.Connected && engine.Live,
            ServerUrl = engine.ServerUrl.ToString(),
            Principal = sync.PrincipalId,
            ReplicaId = sync.ReplicaId,
            Epoch = sync.Epoch,
            Cursor = sync.Cursor,
            Head = sync.Head,
            LastSuccessfulSync = sync.LastSyncAt,
            LagPositions = replica.LagPositions,
            LagSeconds = Math.Round(replica.Lag.TotalSeconds, 3),
            CaughtUp = engine.Connected && replica.CaughtUp,
            Bootstrap = sync.BootstrapItemsSent is { } sent && sync.BootstrapTotalEstimate is { } total && sent < total
                ? new BootstrapStatus(sent, total)
                : null,
            OutboxDepth = replica.Outbox.Depth,
            OldestPendingAgeSeconds = replica.OldestPendingAge is { } age ? Math.Round(age.TotalSeconds, 3) : null,
            OutboxByState = replica.Outbox.CountsByState.ToDictionary(p => p.Key.ToString().ToLowerInvariant(), p => p.Value),
            RecentRejections = [.. replica.RecentRejections.Select(r => new RejectionStatus(r.ClientId, r.Kind, r.ReasonCode, r.ReasonMessage, r.DecidedAt))],
            ReplicaSizeBytes = replica.FileSizeBytes,
            ItemCounts = replica.ItemCounts,
            DocumentCount = replica.DocumentCount,
            ResetLoopSuspected = replica.ResetLoopSuspected,
            LastError = engine.LastError,
            Warning = warning,
        };
    }
}

internal sealed record BootstrapStatus(long PositionsFetched, long PositionsTotal);

internal sealed record RejectionStatus(string ClientId, string Kind, string? Reason, string? Message, DateTimeOffset? DecidedAt);
