namespace Cortex.CoreServer.Hosting;

/// <summary>
/// <c>Cortex:Redis</c>: set <see cref="ConnectionString"/> when more than one server instance serves the same database,
/// so SignalR messages sent by one instance reach clients connected to another. Empty (the embedded default) keeps
/// SignalR in process.
/// </summary>
public sealed class ScaleOutOptions
{
    public const string Section = "Cortex:Redis";

    public string? ConnectionString { get; set; }

    /// <summary>Prefixes the backplane's Redis channels, so several Cortex deployments can share one Redis.</summary>
    public string ChannelPrefix { get; set; } = "cortex";
}
