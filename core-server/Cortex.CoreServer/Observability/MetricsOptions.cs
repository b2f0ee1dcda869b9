using System.ComponentModel.DataAnnotations;

namespace Cortex.CoreServer.Observability;

/// <summary><c>Cortex:Metrics</c>.</summary>
internal sealed class MetricsOptions
{
    public const string Section = "Cortex:Metrics";

    /// <summary>The longest a scrape may show job and draft queue sizes that were read earlier; 0 reads on every scrape.</summary>
    [Range(0, 300)]
    public int StatsRefreshSeconds { get; set; } = 5;
}
