namespace Cortex.CoreServer.Documents;

internal static class DocumentsExtensions
{
    /// <summary>The document service behind the sync hub's document methods (the hub itself is mapped by sync).</summary>
    public static IServiceCollection AddCortexDocuments(this IServiceCollection services)
    {
        services.AddSingleton<DocumentOwners>();
        services.AddSingleton<DocumentService>();
        services.AddSingleton<DocumentSubscriptions>();
        return services;
    }
}
