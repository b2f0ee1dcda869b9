using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Cortex.CoreServer.Observability;

/// <summary>
/// The server's own instruments, exported at <c>/metrics</c> (see <c>runbooks/metrics-and-alerts.md</c>). Labels are
/// bounded: route templates (never raw paths), status classes, principal ids (a team's worth), and fixed reason kinds.
/// </summary>
internal sealed class CortexMetrics
{
    public const string MeterName = "Cortex.CoreServer";

    private static readonly double[] LatencyBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private static readonly double[] ApprovalBuckets = [60, 300, 900, 3_600, 4 * 3_600, 12 * 3_600, 24 * 3_600, 72 * 3_600, 7 * 24 * 3_600];

    private readonly Histogram<double> _requestDuration;
    private readonly Counter<long> _errors;
    private readonly Counter<long> _writes;
    private readonly Counter<long> _authFailures;
    private readonly Counter<long> _objectStoreErrors;
    private readonly Counter<long> _observationsIngested;
    private readonly Histogram<double> _approvalLatency;

    public CortexMetrics(IMeterFactory meterFactory, QueueStats queues, SyncMetrics sync)
    {
        var meter = meterFactory.Create(MeterName);
        _requestDuration = meter.CreateHistogram(
            "cortex.http.request.duration",
            "s",
            "API request latency by route template, method and status class.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });
        _errors = meter.CreateCounter<long>("cortex.http.errors", description: "Requests answered 4xx or 5xx, by route template, method and class.");
        _writes = meter.CreateCounter<long>("cortex.api.writes", description: "Authenticated write requests (POST, PUT, PATCH, DELETE) by principal.");
        _authFailures = meter.CreateCounter<long>("cortex.auth.failures", description: "Requests refused for missing or bad credentials, by reason.");
        _objectStoreErrors = meter.CreateCounter<long>("cortex.objectstore.errors", description: "Object store operations that threw, by operation and kind.");
        _observationsIngested = meter.CreateCounter<long>("cortex.observations.ingested", description: "Observations created (replays excluded).");
        _approvalLatency = meter.CreateHistogram(
            "cortex.drafts.approval.latency",
            "s",
            "Time from a draft's creation to its approval.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = ApprovalBuckets });
        meter.CreateObservableGauge("cortex.jobs.depth", () => queues.Jobs(s => s.Depth), description: "Jobs waiting to run (queued and retrying), by kind.");
        meter.CreateObservableGauge("cortex.jobs.retrying", () => queues.Jobs(s => s.Retrying), description: "Jobs that failed and wait for another attempt, by kind.");
        meter.CreateObservableGauge("cortex.jobs.dead", () => queues.Jobs(s => s.Dead), description: "Dead-lettered jobs (retries exhausted), by kind.");
        meter.CreateObservableGauge("cortex.drafts.pending", () => queues.PendingDrafts, description: "Drafts waiting for review.");
        meter.CreateObservableGauge("cortex.sync.lag", sync.Lag, "s", "Replication lag a sidecar reported in its last heartbeat, by replica.");
        meter.CreateObservableGauge("cortex.sync.backlog", sync.Backlog, description: "Unsent local mutations a sidecar reported in its last heartbeat, by replica.");
    }

    public void RequestCompleted(string route, string method, int status, TimeSpan elapsed)
    {
        var statusClass = $"{status / 100}xx";
        var tags = new TagList { { "route", route }, { "method", method }, { "status_class", statusClass } };
        _requestDuration.Record(elapsed.TotalSeconds, tags);
        if (status >= 400)
        {
            _errors.Add(1, new TagList { { "route", route }, { "method", method }, { "class", statusClass } });
        }
    }

    public void Write(string principalId) => _writes.Add(1, new KeyValuePair<string, object?>("principal", principalId));

    /// <summary>Counts a refused authentication; <paramref name="failure"/> is the handler's failure message, null when no credentials came.</summary>
    public void AuthFailed(string? failure) => _authFailures.Add(1, new KeyValuePair<string, object?>("reason", AuthFailureReason(failure)));

    public void ObjectStoreError(string operation, string kind) =>
        _objectStoreErrors.Add(1, new TagList { { "operation", operation }, { "kind", kind } });

    public void ObservationsIngested(int count)
    {
        if (count > 0)
        {
            _observationsIngested.Add(count);
        }
    }

    public void DraftApproved(long? latencyMs)
    {
        if (latencyMs is { } ms)
        {
            _approvalLatency.Record(ms / 1000.0);
        }
    }

    internal static string AuthFailureReason(string? failure) => failure switch
    {
        null => "missing",
        _ when failure.Contains("Bearer scheme", StringComparison.Ordinal) => "bad_scheme",
        _ when failure.Contains("malformed", StringComparison.Ordinal) => "malformed",
        _ when failure.Contains("revoked", StringComparison.Ordinal) => "revoked",
        _ when failure.Contains("expired", StringComparison.Ordinal) => "expired",
        _ when failure.Contains("disabled", StringComparison.Ordinal) => "disabled",
        _ => "invalid",
    };
}
