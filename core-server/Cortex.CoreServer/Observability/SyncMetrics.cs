using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;

namespace Cortex.CoreServer.Observability;

/// <summary>
/// Per-replica sync health fed by cortexd heartbeats: the sync hub calls <see cref="Heartbeat"/> with what the sidecar
/// reports; the gauges show each replica's last report until it is older than
/// <see cref="MetricsOptions.SyncReportTtlSeconds"/>, so a replica that went away does not show a frozen lag forever.
/// </summary>
internal sealed class SyncMetrics(TimeProvider time, IOptions<MetricsOptions> options)
{
    private readonly ConcurrentDictionary<string, Report> _replicas = new(StringComparer.Ordinal);

    /// <param name="replicaId">The replica's id (bounded: one per registered sidecar).</param>
    /// <param name="lag">How far the replica's applied feed position trails the server's.</param>
    /// <param name="backlog">Local mutations the replica has not yet pushed.</param>
    public void Heartbeat(string replicaId, TimeSpan lag, long backlog) =>
        _replicas[replicaId] = new Report(Math.Max(0, lag.TotalSeconds), Math.Max(0, backlog), time.GetUtcNow());

    internal IEnumerable<Measurement<double>> Lag() =>
        Current().Select(r => new Measurement<double>(r.Value.LagSeconds, new KeyValuePair<string, object?>("replica", r.Key)));

    internal IEnumerable<Measurement<long>> Backlog() =>
        Current().Select(r => new Measurement<long>(r.Value.Backlog, new KeyValuePair<string, object?>("replica", r.Key)));

    private List<KeyValuePair<string, Report>> Current()
    {
        var oldest = time.GetUtcNow() - TimeSpan.FromSeconds(options.Value.SyncReportTtlSeconds);
        foreach (var stale in _replicas.Where(r => r.Value.At < oldest))
        {
            _replicas.TryRemove(stale);
        }

        return [.. _replicas];
    }

    private sealed record Report(double LagSeconds, long Backlog, DateTimeOffset At);
}
