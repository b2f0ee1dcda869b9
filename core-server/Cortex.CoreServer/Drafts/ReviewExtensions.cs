using Cortex.CoreServer.Artifacts;
using Cortex.CoreServer.Templates;
using Cortex.SecretScanning;
using Dapper;

namespace Cortex.CoreServer.Drafts;

internal static class ReviewExtensions
{
    /// <summary>Templates, the draft gate and the canon gate.</summary>
    public static IServiceCollection AddCortexReview(this IServiceCollection services)
    {
        SqlMapper.AddTypeHandler(new EvidenceLink.TypeHandler());
        services.AddSingleton<TemplateStore>();
        services.AddSingleton<DraftStore>();
        services.AddSingleton<DraftGate>();
        services.AddSingleton<ArtifactStore>();
        services.AddSingleton<CanonGate>();
        services.AddSingleton(_ => new SecretScanner());
        return services;
    }
}
