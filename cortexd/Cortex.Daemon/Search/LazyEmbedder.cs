using Cortex.Embeddings;

namespace Cortex.Daemon.Search;

/// <summary>The process's MiniLM model, loaded on the first embedding rather than at start-up (it takes ~1 s and 90 MB),
/// so commands that never embed (status, keyword search, the stop hook) never pay for it.</summary>
internal sealed class LazyEmbedder : ITextEmbedder
{
    public static LazyEmbedder Shared { get; } = new();

    public int Dimensions => MiniLmEmbedder.VectorDimensions;

    public float[] Embed(string text, CancellationToken cancellationToken = default) => MiniLmEmbedder.Shared.Embed(text, cancellationToken);

    public IReadOnlyList<float[]> EmbedBatch(IReadOnlyList<string> texts, CancellationToken cancellationToken = default) =>
        MiniLmEmbedder.Shared.EmbedBatch(texts, cancellationToken);
}
