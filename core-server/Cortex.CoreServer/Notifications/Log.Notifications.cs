namespace Cortex.CoreServer;

/// <summary>Live notification messages. Event ids: 16xx.</summary>
internal static partial class Log
{
    [LoggerMessage(1601, LogLevel.Warning, "Listening for new notifications failed; reconnecting")]
    public static partial void NotificationListenFailed(ILogger logger, Exception exception);

    [LoggerMessage(1602, LogLevel.Warning, "Pushing notifications to connected clients failed")]
    public static partial void NotificationPushFailed(ILogger logger, Exception exception);
}
