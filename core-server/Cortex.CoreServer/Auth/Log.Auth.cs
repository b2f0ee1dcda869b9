namespace Cortex.CoreServer;

/// <summary>Key cache broadcast and rotation messages. Event ids: 25x.</summary>
internal static partial class Log
{
    [LoggerMessage(251, LogLevel.Warning, "Listening for key cache invalidations failed; reconnecting (the cache is cleared on reconnect)")]
    public static partial void KeyCacheListenFailed(ILogger logger, Exception exception);
}
