namespace Cortex.CoreServer.Sync.Mutations;

internal static class MutationHandlerExtensions
{
    /// <summary>Registers a handler; <see cref="MutationApplier"/> refuses to start with two handlers for one kind.</summary>
    public static IServiceCollection AddMutationHandler<THandler>(this IServiceCollection services)
        where THandler : class, IMutationHandler
    {
        services.AddSingleton<IMutationHandler, THandler>();
        return services;
    }
}
