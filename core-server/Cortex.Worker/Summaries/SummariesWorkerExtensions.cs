using Cortex.Jobs;

namespace Cortex.Worker.Summaries;

public static class SummariesWorkerExtensions
{
    /// <summary>Thread summaries and subcortex digests, queued by database triggers and by POST /admin/rebuild-summaries.</summary>
    public static IServiceCollection AddSummariesWorker(this IServiceCollection services)
    {
        services.AddJobHandler<ThreadSummaryHandler>();
        services.AddJobHandler<SubcortexDigestHandler>();
        return services;
    }
}
