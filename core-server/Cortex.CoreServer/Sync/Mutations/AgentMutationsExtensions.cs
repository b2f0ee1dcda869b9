using Cortex.CoreServer.Sync.Mutations;

// In the Sync namespace so the server's composition root, which already imports it, needs only the one call.
namespace Cortex.CoreServer.Sync;

internal static class AgentMutationsExtensions
{
    /// <summary>The outbox mutations agents send through cortexd's MCP tools and stop hook (issue 5).</summary>
    public static IServiceCollection AddAgentMutations(this IServiceCollection services) => services
        .AddMutationHandler<CreateObservationHandler>()
        .AddMutationHandler<CreateDraftHandler>()
        .AddMutationHandler<CreateArtifactVersionHandler>();
}
