namespace Cortex.Worker;

/// <summary>Notification fan-out and reminders. Event ids: 6xx.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 601, Level = LogLevel.Information, Message = "Notification fan-out waits for the server to migrate the database")]
    public static partial void FanoutWaitingForSchema(this ILogger logger);

    [LoggerMessage(EventId = 602, Level = LogLevel.Warning, Message = "Reading the change feed for notifications failed; trying again at the next tick")]
    public static partial void FanoutScanFailed(this ILogger logger, Exception exception);

    [LoggerMessage(EventId = 603, Level = LogLevel.Warning, Message = "Scheduling notification reminders failed; trying again at the next tick")]
    public static partial void ReminderSchedulingFailed(this ILogger logger, Exception exception);

    [LoggerMessage(EventId = 604, Level = LogLevel.Information, Message = "Sent {ReviewDue} review-due and {DueSoon} due-soon reminders")]
    public static partial void RemindersSent(this ILogger logger, int reviewDue, int dueSoon);
}
