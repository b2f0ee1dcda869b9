using Cortex.CoreServer.Sync.Mutations;
using Cortex.SyncProtocol;

namespace Cortex.CoreServer.Sync;

internal static class SyncExtensions
{
    public static IServiceCollection AddCortexSync(this IServiceCollection services)
    {
        services.AddSignalR(options =>
            {
                options.MaximumReceiveMessageSize = 8 * 1024 * 1024;
                options.SupportedProtocols = ["messagepack"];
            })
            .AddMessagePackProtocol(options => options.SerializerOptions = SyncSerializer.Options);
        services.AddSingleton<FeedPayloads>();
        services.AddSingleton<MutationApplier>();
        services.AddMutationHandler<CreateThreadHandler>();
        services.AddMutationHandler<UpdateThreadHandler>();
        services.AddMutationHandler<CreateCommentHandler>();
        services.AddSingleton<SyncEpochs>();
        services.AddSingleton<ReplicaScopes>();
        services.AddSingleton<ReplicaRegistry>();
        services.AddHostedService<FeedListener>();
        return services;
    }

    public static WebApplication MapCortexSync(this WebApplication app)
    {
        app.MapHub<SyncHub>(SyncHubRoutes.Path);
        app.MapGroup("/api/v1").RequireAuthorization().MapSyncApi();
        return app;
    }
}
