using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Cortex.SyncProtocol;

/// <summary>
/// Embeddings as <see cref="EntityChange.PackedEmbedding"/> carries them: float32s, little-endian, back to back. On
/// the usual little-endian hosts packing and unpacking are single copies.
/// </summary>
public static class PackedEmbedding
{
    public static byte[] Pack(ReadOnlySpan<float> vector)
    {
        var bytes = MemoryMarshal.AsBytes(vector).ToArray();
        if (!BitConverter.IsLittleEndian)
        {
            var words = MemoryMarshal.Cast<byte, int>(bytes.AsSpan());
            BinaryPrimitives.ReverseEndianness(words, words);
        }

        return bytes;
    }

    /// <exception cref="ArgumentException">the length is not a whole number of float32s.</exception>
    public static float[] Unpack(ReadOnlySpan<byte> packed)
    {
        if (packed.Length % sizeof(float) != 0)
        {
            throw new ArgumentException($"A packed embedding is a whole number of float32s; {packed.Length} bytes is not.", nameof(packed));
        }

        var vector = MemoryMarshal.Cast<byte, float>(packed).ToArray();
        if (!BitConverter.IsLittleEndian)
        {
            var words = MemoryMarshal.Cast<float, int>(vector.AsSpan());
            BinaryPrimitives.ReverseEndianness(words, words);
        }

        return vector;
    }
}
