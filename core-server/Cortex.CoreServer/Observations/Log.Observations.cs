namespace Cortex.CoreServer;

/// <summary>Observation messages. Event ids: 8xx.</summary>
internal static partial class Log
{
    [LoggerMessage(801, LogLevel.Warning, "Indexing observations for full-text search failed; will retry")]
    public static partial void ObservationIndexingFailed(ILogger logger, Exception exception);
}
