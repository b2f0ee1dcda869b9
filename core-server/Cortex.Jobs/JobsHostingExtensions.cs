using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Cortex.Jobs;

public static class JobsHostingExtensions
{
    /// <summary>
    /// Registers <see cref="JobQueue"/> (for enqueueing and operating the queue). Needs an
    /// <see cref="Npgsql.NpgsqlDataSource"/> registered by the host.
    /// </summary>
    public static IServiceCollection AddCortexJobQueue(this IServiceCollection services)
    {
        services.TryAddSingleton<JobQueue>();
        return services;
    }

    /// <summary>
    /// Registers the queue and a <see cref="JobRunner"/> hosted service configured from <c>Cortex:Worker</c>
    /// (validated at start). Add handlers with <see cref="AddJobHandler{THandler}"/>.
    /// </summary>
    public static IHostApplicationBuilder AddCortexJobRunner(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddCortexJobQueue();
        services.AddOptions<JobRunnerOptions>().BindConfiguration(JobRunnerOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<JobRunnerOptions>, JobRunnerOptionsValidator>());
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<JobRunnerOptions>>().Value;
            return new RetryBackoff(options.RetryBaseDelay, options.RetryMaxDelay, Random.Shared);
        });
        services.TryAddSingleton<JobRunner>();
        services.AddHostedService(sp => sp.GetRequiredService<JobRunner>());
        return builder;
    }

    /// <summary>Registers a handler; it is resolved in a new scope for every job, so it may take scoped services.</summary>
    public static IServiceCollection AddJobHandler<THandler>(this IServiceCollection services)
        where THandler : class, IJobHandler
    {
        services.TryAddScoped<THandler>();
        services.AddSingleton(new JobHandlerRegistration(typeof(THandler)));
        return services;
    }
}
