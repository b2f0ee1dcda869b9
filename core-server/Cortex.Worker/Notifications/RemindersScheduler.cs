using Cortex.Jobs;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Cortex.Worker.Notifications;

/// <summary>
/// Enqueues <see cref="RemindersHandler"/> every <see cref="NotificationOptions.ReminderInterval"/>; the dedup key keeps
/// one pending run however many workers schedule it.
/// </summary>
public sealed class RemindersScheduler(
    JobQueue queue, JobRunner runner, IOptions<NotificationOptions> options, ILogger<RemindersScheduler> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await runner.Ready.WaitAsync(stoppingToken);
        using var timer = new PeriodicTimer(options.Value.ReminderInterval);
        do
        {
            try
            {
                await queue.EnqueueAsync(
                    new EnqueueRequest(RemindersHandler.JobKind) { DedupKey = "scheduled", MaxAttempts = 3 }, stoppingToken);
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                logger.ReminderSchedulingFailed(e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
