namespace Cortex.CoreServer.Content;

internal static class ContentExtensions
{
    /// <summary>The one write path for threads and comments, and the server's secret scan of content writes.</summary>
    public static IServiceCollection AddCortexContentWrites(this IServiceCollection services)
    {
        services.AddSingleton<ContentSecrets>();
        services.AddSingleton<ContentWriter>();
        return services;
    }
}
