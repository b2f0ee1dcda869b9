using Cortex.Jobs;
using Cortex.Worker.Embeddings;
using Cortex.Worker.Health;
using Cortex.Worker.Maintenance;
using Cortex.Worker.Summaries;
using Cortex.Worker.Notifications;
using Cortex.Worker.TestHandlers;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Cortex.Worker;

public static class WorkerHostingExtensions
{
    public const string EnableTestHandlersSetting = "Cortex:Worker:EnableTestHandlers";

    /// <summary>
    /// Everything <c>cortex-worker</c> runs: the Postgres data source from <c>Cortex:Database:ConnectionString</c>,
    /// the job runner (<c>Cortex:Worker</c>), the built-in maintenance jobs, and the handlers of each feature.
    /// To add a job kind: write an <see cref="IJobHandler"/> and add one <c>AddJobHandler</c> line below.
    /// </summary>
    public static IHostApplicationBuilder AddCortexWorker(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;

        services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DatabaseOptions>, DatabaseOptionsValidator>());
        services.TryAddSingleton(sp =>
            NpgsqlDataSource.Create(sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.ConnectionString!));

        builder.AddCortexJobRunner();

        services.AddOptions<MaintenanceOptions>().BindConfiguration(MaintenanceOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(
            ServiceDescriptor.Singleton<IValidateOptions<MaintenanceOptions>, MaintenanceOptionsValidator>());
        services.AddJobHandler<PurgeFinishedJobsHandler>();
        services.AddHostedService<MaintenanceScheduler>();
        services.AddOptions<HealthFileOptions>().BindConfiguration(HealthFileOptions.SectionName);
        services.AddHostedService<HealthFile>();
        services.AddEmbeddingsWorker();
        services.AddSummariesWorker();
        services.AddNotificationJobs();

        if (builder.Configuration.GetValue<bool>(EnableTestHandlersSetting))
        {
            services.AddJobHandler<RecordExecutionHandler>();
            services.AddJobHandler<BlockFirstAttemptHandler>();
        }

        return builder;
    }
}
