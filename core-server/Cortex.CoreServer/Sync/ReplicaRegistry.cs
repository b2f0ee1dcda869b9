using System.Collections.Concurrent;
using Cortex.CoreServer.Observability;
using Cortex.SyncProtocol;

namespace Cortex.CoreServer.Sync;

/// <summary>What the server knows about live replicas: the epoch each connected principal holds (for pushes) and
/// the last heartbeat of every replica (lag and backlog, exported as metrics and shown in the admin view).</summary>
internal sealed class ReplicaRegistry(TimeProvider time, SyncMetrics metrics)
{
    private readonly ConcurrentDictionary<string, long> _epochs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ReplicaHealth> _health = new(StringComparer.Ordinal);

    public void Connected(string principalId, long epoch) => _epochs[principalId] = epoch;

    public IReadOnlyDictionary<string, long> ConnectedPrincipals => _epochs;

    public void Report(string principalId, Heartbeat heartbeat)
    {
        _health[heartbeat.ReplicaId] = new ReplicaHealth(principalId, heartbeat, time.GetUtcNow());
        metrics.Heartbeat(heartbeat.ReplicaId, TimeSpan.FromSeconds(heartbeat.LagSeconds), heartbeat.OutboxDepth);
    }

    public ReplicaHealth? Health(string replicaId) => _health.GetValueOrDefault(replicaId);

    public IReadOnlyCollection<ReplicaHealth> All => [.. _health.Values];
}

internal sealed record ReplicaHealth(string PrincipalId, Heartbeat Heartbeat, DateTimeOffset ReceivedAt);
