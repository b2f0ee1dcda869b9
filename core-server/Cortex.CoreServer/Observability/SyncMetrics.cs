using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Cortex.CoreServer.Observability;

/// <summary>
/// Per-replica sync health fed by cortexd heartbeats: the sync hub calls <see cref="Heartbeat"/> with what the sidecar
/// reports and <see cref="Forget"/> when the replica is removed; the gauges show the last report of each replica.
/// </summary>
internal sealed class SyncMetrics
{
    private readonly ConcurrentDictionary<string, Report> _replicas = new(StringComparer.Ordinal);

    /// <param name="replicaId">The replica's id (bounded: one per registered sidecar).</param>
    /// <param name="lag">How far the replica's applied feed position trails the server's.</param>
    /// <param name="backlog">Local mutations the replica has not yet pushed.</param>
    public void Heartbeat(string replicaId, TimeSpan lag, long backlog) =>
        _replicas[replicaId] = new Report(Math.Max(0, lag.TotalSeconds), Math.Max(0, backlog));

    public void Forget(string replicaId) => _replicas.TryRemove(replicaId, out _);

    internal IEnumerable<Measurement<double>> Lag() =>
        _replicas.Select(r => new Measurement<double>(r.Value.LagSeconds, new KeyValuePair<string, object?>("replica", r.Key)));

    internal IEnumerable<Measurement<long>> Backlog() =>
        _replicas.Select(r => new Measurement<long>(r.Value.Backlog, new KeyValuePair<string, object?>("replica", r.Key)));

    private sealed record Report(double LagSeconds, long Backlog);
}
