namespace Cortex.Worker;

internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information,
        Message = "Purged {Count} succeeded jobs older than {Retention}")]
    public static partial void FinishedJobsPurged(this ILogger logger, long count, TimeSpan retention);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Scheduling maintenance failed; trying again at the next tick")]
    public static partial void SchedulingFailed(this ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "Health check: Postgres did not answer; the health file is not refreshed")]
    public static partial void HealthCheckFailed(this ILogger logger, Exception exception);
}
