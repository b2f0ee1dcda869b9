namespace Cortex.SyncProtocol;

public static class SyncHubRoutes
{
    /// <summary>The SignalR hub's path on core-server; it speaks the MessagePack hub protocol only.</summary>
    public const string Path = "/hubs/sync";
}
