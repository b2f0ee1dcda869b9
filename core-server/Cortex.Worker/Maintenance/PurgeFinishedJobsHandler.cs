using Cortex.Jobs;
using Microsoft.Extensions.Options;

namespace Cortex.Worker.Maintenance;

/// <summary>Deletes succeeded jobs older than <see cref="MaintenanceOptions.SucceededRetention"/>.</summary>
public sealed class PurgeFinishedJobsHandler(
    JobQueue queue, IOptions<MaintenanceOptions> options, ILogger<PurgeFinishedJobsHandler> logger) : IJobHandler
{
    public const string JobKind = "maintenance.purge-finished-jobs";

    public string Kind => JobKind;

    public async Task HandleAsync(JobContext job, CancellationToken cancellationToken = default)
    {
        var retention = options.Value.SucceededRetention;
        var purged = await queue.PurgeSucceededAsync(retention, cancellationToken: cancellationToken);
        logger.FinishedJobsPurged(purged, retention);
    }
}
