using System.Diagnostics;
using Cortex.CoreServer.Auth;
using Cortex.Jobs;
using Cortex.ObjectStore;
using Cortex.SharedModel.Principals;
using OpenTelemetry.Metrics;

namespace Cortex.CoreServer.Observability;

internal static class MetricsExtensions
{
    public const string Path = "/metrics";

    /// <summary>The Cortex meter exported in Prometheus text format, and the object store wrapped to count its errors.</summary>
    public static WebApplicationBuilder AddCortexMetrics(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<MetricsOptions>().BindConfiguration(MetricsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddCortexJobQueue();
        services.AddSingleton<QueueStats>();
        services.AddSingleton<SyncMetrics>();
        services.AddSingleton<CortexMetrics>();
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(CortexMetrics.MeterName)
            .AddPrometheusExporter(options => options.ScrapeResponseCacheDurationMilliseconds = 0));
        DecorateObjectStore(services);
        return builder;
    }

    /// <summary>
    /// Times every request (outermost, so 5xx answers written by the exception handler count) and maps <c>/metrics</c>,
    /// which answers admins only: it names principals and routes, so it is no more public than the audit log.
    /// </summary>
    public static WebApplication UseCortexMetrics(this WebApplication app)
    {
        var metrics = app.Services.GetRequiredService<CortexMetrics>();
        app.Use(async (context, next) =>
        {
            var started = Stopwatch.GetTimestamp();
            var endpoint = context.GetEndpoint();
            try
            {
                await next(context);
            }
            finally
            {
                endpoint ??= context.GetEndpoint();
                var route = (endpoint as RouteEndpoint)?.RoutePattern.RawText ?? "unmatched";
                var method = context.Request.Method;
                metrics.RequestCompleted(route, method, context.Response.StatusCode, Stopwatch.GetElapsedTime(started));
                if (IsWrite(method) && context.Features.Get<AuthenticatedPrincipal>() is { } authenticated)
                {
                    metrics.Write(authenticated.Principal.Id);
                }
            }
        });
        var stats = app.Services.GetRequiredService<QueueStats>();
        app.MapPrometheusScrapingEndpoint(
                Path,
                meterProvider: null,
                configureBranchedPipeline: branch => branch.Use(async (context, next) =>
                {
                    await stats.RefreshAsync(context.RequestAborted);
                    await next(context);
                }),
                optionsName: null)
            .RequireAuthorization(policy => policy.RequireRole(nameof(Role.Admin)));
        return app;
    }

    private static bool IsWrite(string method) =>
        HttpMethods.IsPost(method) || HttpMethods.IsPut(method) || HttpMethods.IsPatch(method) || HttpMethods.IsDelete(method);

    private static void DecorateObjectStore(IServiceCollection services)
    {
        var original = services.LastOrDefault(d => d.ServiceType == typeof(IObjectStore));
        if (original is null)
        {
            return;
        }

        services.Remove(original);
        services.AddSingleton<IObjectStore>(provider => new MeteredObjectStore(
            original.ImplementationInstance as IObjectStore
                ?? original.ImplementationFactory?.Invoke(provider) as IObjectStore
                ?? (IObjectStore)ActivatorUtilities.CreateInstance(provider, original.ImplementationType!),
            provider.GetRequiredService<CortexMetrics>()));
    }
}
