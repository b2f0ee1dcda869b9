using Cortex.CoreServer.Admin;
using Cortex.CoreServer.Embeddings;
using Cortex.CoreServer.Quarantine;
using Cortex.CoreServer.Summaries;
using Cortex.Embeddings;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Cortex.CoreServer.Search;

internal static class SearchExtensions
{
    /// <summary>Search in all modes (the query model loads at the first semantic search), quarantine, summaries, admin reindex.</summary>
    public static IServiceCollection AddCortexSearch(this IServiceCollection services)
    {
        services.TryAddSingleton<ITextEmbedder>(_ => MiniLmEmbedder.Shared);
        services.AddSingleton(sp => new QueryEmbedder(new Lazy<ITextEmbedder>(sp.GetRequiredService<ITextEmbedder>)));
        services.AddSingleton<SearchService>();
        services.AddSingleton<QuarantineService>();
        services.AddSingleton<SummaryStore>();
        services.AddSingleton<ReindexRuns>();
        return services;
    }

    /// <summary>Quarantine and summaries under <c>/api/v1</c>; the operator endpoints under <c>/admin</c>.</summary>
    public static WebApplication MapCortexSearch(this WebApplication app)
    {
        app.MapGroup("/api/v1").RequireAuthorization().MapQuarantineApi().MapSummariesApi();
        app.MapGroup("/admin").RequireAuthorization().MapAdminApi();
        return app;
    }
}
