using Cortex.Jobs;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Cortex.Worker.Maintenance;

/// <summary>
/// Enqueues the purge every <see cref="MaintenanceOptions.PurgeInterval"/>. The dedup key keeps one pending purge
/// however many workers run this.
/// </summary>
public sealed class MaintenanceScheduler(
    JobQueue queue, JobRunner runner, IOptions<MaintenanceOptions> options, ILogger<MaintenanceScheduler> logger)
    : BackgroundService
{
    public const string DedupKey = "scheduled";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The runner creates the schema before it is ready.
        await runner.Ready.WaitAsync(stoppingToken);
        using var timer = new PeriodicTimer(options.Value.PurgeInterval);
        do
        {
            try
            {
                await queue.EnqueueAsync(
                    new EnqueueRequest(PurgeFinishedJobsHandler.JobKind) { DedupKey = DedupKey, MaxAttempts = 3 },
                    stoppingToken);
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                logger.SchedulingFailed(e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
