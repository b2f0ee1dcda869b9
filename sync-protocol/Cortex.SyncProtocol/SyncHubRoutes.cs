namespace Cortex.SyncProtocol;

public static class SyncHubRoutes
{
    /// <summary>The SignalR hub's path on core-server; it speaks the MessagePack hub protocol only.</summary>
    public const string Path = "/hubs/sync";

    /// <summary>How much of one message either end's pipes buffer before waiting on the other side: a whole page of
    /// changes with vectors (about 2 MB at the server's 1,000-change maximum) plus room.</summary>
    public const long MaxBufferedBytes = 4 * 1024 * 1024;
}
