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
        services.AddSingleton<FeedHead>();
        services.AddHostedService<FeedListener>();
        return services;
    }

    public static WebApplication MapCortexSync(this WebApplication app)
    {
        app.MapHub<SyncHub>(SyncHubRoutes.Path, connection =>
        {
            // A bootstrap page is ~2 MB (1,000 items with their vectors); with the default 64 KB pipes the send stalls
            // dozens of times per page waiting for the socket to drain.
            connection.TransportMaxBufferSize = SyncHubRoutes.MaxBufferedBytes;
            connection.ApplicationMaxBufferSize = SyncHubRoutes.MaxBufferedBytes;
        });
        app.MapGroup("/api/v1").RequireAuthorization().MapSyncApi();
        return app;
    }
}
