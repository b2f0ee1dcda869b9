using Cortex.Embeddings;
using Cortex.Jobs;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Cortex.Worker.Embeddings;

public static class EmbeddingsWorkerExtensions
{
    /// <summary>
    /// <c>search.embed</c> and <c>admin.reindex</c>, with the process-wide MiniLM model (loaded at the first job) and
    /// the settings under <c>Cortex:Worker:Embeddings</c>.
    /// </summary>
    public static IServiceCollection AddEmbeddingsWorker(this IServiceCollection services)
    {
        services.AddOptions<EmbeddingsWorkerOptions>().BindConfiguration(EmbeddingsWorkerOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EmbeddingsWorkerOptions>, EmbeddingsWorkerOptionsValidator>());
        services.TryAddSingleton<ITextEmbedder>(_ => MiniLmEmbedder.Shared);
        services.TryAddSingleton<SharedEmbedder>();
        services.AddJobHandler<EmbedItemsHandler>();
        services.AddJobHandler<ReindexHandler>();
        return services;
    }
}
