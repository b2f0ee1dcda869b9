using System.Runtime.InteropServices;

namespace Cortex.LocalSearch;

/// <summary>Float32 vectors as the little-endian blobs sqlite-vec reads.</summary>
public static class VectorBlob
{
    public const int Dimensions = 384;

    public static byte[] ToBlob(ReadOnlySpan<float> vector)
    {
        if (vector.Length != Dimensions)
        {
            throw new ArgumentException($"Vectors have {Dimensions} dimensions, not {vector.Length}.", nameof(vector));
        }

        return MemoryMarshal.AsBytes(vector).ToArray();
    }

    public static float[] FromBlob(byte[] blob)
    {
        ArgumentNullException.ThrowIfNull(blob);
        return MemoryMarshal.Cast<byte, float>(blob).ToArray();
    }
}
