using Microsoft.Extensions.Logging;

namespace Cortex.Jobs;

internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information,
        Message = "Job runner {WorkerId} is ready: {Concurrency} slots for kinds {Kinds}")]
    public static partial void RunnerReady(this ILogger logger, string workerId, int concurrency, string kinds);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Job runner {WorkerId} has no handlers and takes no jobs")]
    public static partial void NoHandlers(this ILogger logger, string workerId);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Job runner {WorkerId} stopped")]
    public static partial void RunnerStopped(this ILogger logger, string workerId);

    [LoggerMessage(EventId = 10, Level = LogLevel.Warning,
        Message = "Job {JobId} ({Kind}) attempt {Attempt} failed; retrying in {Delay}")]
    public static partial void JobFailed(
        this ILogger logger, long jobId, string kind, int attempt, TimeSpan delay, Exception exception);

    [LoggerMessage(EventId = 11, Level = LogLevel.Error,
        Message = "Job {JobId} ({Kind}) is dead-lettered after attempt {Attempt}")]
    public static partial void JobDead(this ILogger logger, long jobId, string kind, int attempt, Exception exception);

    [LoggerMessage(EventId = 12, Level = LogLevel.Warning,
        Message = "Job {JobId} ({Kind}) attempt {Attempt}: the lease was lost to another worker; its outcome is dropped")]
    public static partial void LeaseLost(this ILogger logger, long jobId, string kind, int attempt);

    [LoggerMessage(EventId = 13, Level = LogLevel.Information, Message = "Job {JobId} ({Kind}) handed back on shutdown")]
    public static partial void JobReleased(this ILogger logger, long jobId, string kind);

    [LoggerMessage(EventId = 14, Level = LogLevel.Warning, Message = "Dead-lettered {Count} jobs whose last lease expired")]
    public static partial void LeasesReaped(this ILogger logger, int count);

    [LoggerMessage(EventId = 20, Level = LogLevel.Warning, Message = "Taking jobs failed; trying again after the poll interval")]
    public static partial void DequeueFailed(this ILogger logger, Exception exception);

    [LoggerMessage(EventId = 21, Level = LogLevel.Error,
        Message = "Recording the outcome of job {JobId} ({Kind}) failed; it runs again when its lease expires")]
    public static partial void RecordFailed(this ILogger logger, long jobId, string kind, Exception exception);

    [LoggerMessage(EventId = 22, Level = LogLevel.Warning, Message = "Extending the lease of job {JobId} failed")]
    public static partial void HeartbeatFailed(this ILogger logger, long jobId, Exception exception);

    [LoggerMessage(EventId = 23, Level = LogLevel.Warning, Message = "Listening for job notifications failed; polling meanwhile")]
    public static partial void ListenFailed(this ILogger logger, Exception exception);
}
