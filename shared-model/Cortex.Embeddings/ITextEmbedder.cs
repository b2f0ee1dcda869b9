namespace Cortex.Embeddings;

/// <summary>
/// Turns text into sentence embeddings. Vectors are L2-normalized, so a dot product is the cosine similarity.
/// </summary>
public interface ITextEmbedder
{
    /// <summary>The length of every vector this embedder returns.</summary>
    int Dimensions { get; }

    float[] Embed(string text, CancellationToken cancellationToken = default);

    /// <summary>Embeds many texts at once; the result has one vector per input, in input order.</summary>
    IReadOnlyList<float[]> EmbedBatch(IReadOnlyList<string> texts, CancellationToken cancellationToken = default);
}
