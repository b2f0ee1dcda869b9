using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace Cortex.CoreServer.Idempotency;

/// <summary>
/// What makes two POSTs "the same request" for an idempotency key: method, path, query and the exact body bytes.
/// </summary>
internal static class RequestFingerprint
{
    public const int MaxKeyLength = 200;

    public static byte[] Compute(string method, string path, string query, ReadOnlySpan<byte> body)
    {
        using var hash = Start(method, path, query);
        hash.AppendData(body);
        return hash.GetHashAndReset();
    }

    /// <summary>Hashes a body of any size as it streams past; the caller rewinds the stream afterwards.</summary>
    public static async Task<byte[]> ComputeAsync(string method, string path, string query, Stream body, CancellationToken cancellationToken = default)
    {
        using var hash = Start(method, path, query);
        var buffer = ArrayPool<byte>.Shared.Rent(81_920);
        try
        {
            int read;
            while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
            {
                hash.AppendData(buffer, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return hash.GetHashAndReset();
    }

    private static IncrementalHash Start(string method, string path, string query)
    {
        var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"{method}\n{path}\n{query}\n"));
        return hash;
    }

    /// <summary>Keys are opaque to us, but bounded and printable ASCII so they are safe to store and log.</summary>
    public static bool IsValidKey(string key) =>
        key.Length is > 0 and <= MaxKeyLength && key.All(c => c is >= '!' and <= '~');
}
