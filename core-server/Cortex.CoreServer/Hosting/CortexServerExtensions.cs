using System.Text.Json;
using System.Text.Json.Serialization;
using Cortex.CoreServer.Apis;
using Cortex.CoreServer.Attachments;
using Cortex.CoreServer.Audit;
using Cortex.CoreServer.Auth;
using Cortex.CoreServer.Content;
using Cortex.CoreServer.Database;
using Cortex.CoreServer.Documents;
using Cortex.CoreServer.Drafts;
using Cortex.CoreServer.Errors;
using Cortex.CoreServer.Feed;
using Cortex.CoreServer.Idempotency;
using Cortex.CoreServer.Markdown;
using Cortex.CoreServer.Observability;
using Cortex.CoreServer.Observations;
using Cortex.CoreServer.Principals;
using Cortex.CoreServer.RateLimiting;
using Cortex.CoreServer.Search;
using Cortex.CoreServer.Sessions;
using Cortex.CoreServer.Sync;
using Cortex.CoreServer.Tasks;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Cortex.CoreServer.Hosting;

internal static class CortexServerExtensions
{
    public static WebApplicationBuilder AddCortexServer(this WebApplicationBuilder builder)
    {
        builder.AddCortexDatabase();
        builder.AddCortexRateLimits();
        builder.AddCortexSessions();
        builder.AddCortexAttachments();
        builder.AddCortexMetrics();
        builder.AddCortexScaleOut();
        builder.AddCortexProxySupport();

        var services = builder.Services;
        services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<LimitOptions>().BindConfiguration(LimitOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.WebHost.ConfigureKestrel((context, kestrel) =>
            kestrel.Limits.MaxRequestBodySize = context.Configuration.GetValue(
                $"{LimitOptions.Section}:{nameof(LimitOptions.MaxRequestBodyBytes)}", new LimitOptions().MaxRequestBodyBytes));

        // Migrations run before anything else starts; a failure (e.g. a newer schema) stops the host.
        services.AddHostedService<MigrationsHostedService>();
        services.TryAddSingletonTimeProvider();
        services.AddSingleton<AuditLog>();
        services.AddSingleton<KeyCache>();
        services.AddSingleton<KeyUsageTracker>();
        services.AddHostedService(provider => provider.GetRequiredService<KeyUsageTracker>());
        services.AddSingleton<PrincipalStore>();
        services.AddSingleton<KeyStore>();
        services.AddSingleton<SubcortexStore>();
        services.AddSingleton<ThreadStore>();
        services.AddSingleton<CommentStore>();
        services.AddCortexContentWrites();
        services.AddCortexObservations();
        services.AddCortexReview();
        services.AddSingleton<ChangeFeedReader>();
        services.AddCortexSync();
        services.AddAgentMutations();
        services.AddCortexDocuments();
        services.AddCortexTasksAndNotifications();
        services.AddCortexSearch();
        services.AddSingleton<MarkdownRenderer>();

        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorization();

        services.AddProblemDetails(options => options.CustomizeProblemDetails = Problems.Customize);
        services.AddExceptionHandler<ProblemExceptionHandler>();
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        services.Configure<JsonOptions>(options =>
        {
            options.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
            options.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
            options.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        });
        return builder;
    }

    public static WebApplication UseCortexServer(this WebApplication app)
    {
        app.UseCortexProxySupport();
        app.UseCortexMetrics();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseCortexWebApp();
        app.UseMiddleware<RequestBodyLimitMiddleware>();
        app.UseAuthentication();
        app.UseCortexSessions();
        app.UseRateLimiter();
        app.UseAuthorization();
        app.UseMiddleware<IdempotencyMiddleware>();

        app.MapHealthApi();
        app.MapGroup("/api/v1")
            .RequireAuthorization()
            .MapPrincipalsApi()
            .MapKeysApi()
            .MapSubcortexesApi()
            .MapThreadsApi()
            .MapCommentsApi()
            .MapTemplatesApi()
            .MapDraftsApi()
            .MapArtifactsApi()
            .MapObservationsApi()
            .MapAttachmentsApi()
            .MapSearchApi()
            .MapChangesApi()
            .MapAuditApi();
        app.MapCortexSessions();
        app.MapCortexSync();
        app.MapCortexSearch();
        app.MapCortexTasksAndNotifications();
        return app;
    }

    private static void TryAddSingletonTimeProvider(this IServiceCollection services)
    {
        if (!services.Any(descriptor => descriptor.ServiceType == typeof(TimeProvider)))
        {
            services.AddSingleton(TimeProvider.System);
        }
    }

    /// <summary>Resolves the options now so that a bad setting fails before any command touches the database.</summary>
    public static void ValidateCortexOptions(this IServiceProvider services)
    {
        _ = services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
        _ = services.GetRequiredService<IOptions<AuthOptions>>().Value;
        _ = services.GetRequiredService<IOptions<LimitOptions>>().Value;
        _ = services.GetRequiredService<IOptions<RateLimitOptions>>().Value;
    }
}
