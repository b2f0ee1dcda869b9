using System.Numerics.Tensors;

namespace Cortex.Embeddings;

/// <summary>Small helpers for normalized embedding vectors.</summary>
public static class VectorMath
{
    /// <summary>Scales <paramref name="vector"/> to unit length; a zero vector stays zero.</summary>
    public static void NormalizeInPlace(Span<float> vector)
    {
        var norm = TensorPrimitives.Norm(vector);
        if (norm > 0f)
        {
            TensorPrimitives.Divide(vector, norm, vector);
        }
    }

    /// <summary>Cosine similarity of two vectors of equal length.</summary>
    public static float Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => TensorPrimitives.CosineSimilarity(a, b);
}
