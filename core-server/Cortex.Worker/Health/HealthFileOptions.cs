namespace Cortex.Worker.Health;

/// <summary><c>Cortex:Worker:Health</c>: the liveness file a container health check reads (docker-compose.yml).</summary>
public sealed class HealthFileOptions
{
    public const string SectionName = "Cortex:Worker:Health";

    /// <summary>The file to touch while the worker is healthy; empty (the default) writes none.</summary>
    public string? File { get; set; }

    /// <summary>How often the worker checks Postgres and touches the file.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(15);
}
