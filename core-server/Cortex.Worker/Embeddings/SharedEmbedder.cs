using Cortex.Embeddings;

namespace Cortex.Worker.Embeddings;

/// <summary>
/// The embedding model, resolved at the first job that needs it: the runner builds every handler at start to learn its
/// kind, and loading MiniLM (~1 s, ~90 MB) there would tax every worker start, even one that never embeds.
/// </summary>
public sealed class SharedEmbedder(IServiceProvider services)
{
    private readonly Lazy<ITextEmbedder> _embedder = new(services.GetRequiredService<ITextEmbedder>);

    public ITextEmbedder Model => _embedder.Value;
}
