using System.ComponentModel.DataAnnotations;

namespace Cortex.CoreServer.Observability;

/// <summary><c>Cortex:Metrics</c>.</summary>
internal sealed class MetricsOptions
{
    public const string Section = "Cortex:Metrics";

    /// <summary>The longest a scrape may show job and draft queue sizes that were read earlier; 0 reads on every scrape.</summary>
    [Range(0, 300)]
    public int StatsRefreshSeconds { get; set; } = 5;

    /// <summary>
    /// A replica's lag and backlog gauges disappear when its last heartbeat (every 10 s from cortexd) is older than this:
    /// a replica that went away (stopped, reset to a new replica id, connected to another instance) stops reporting.
    /// </summary>
    [Range(30, 86_400)]
    public int SyncReportTtlSeconds { get; set; } = 600;
}
