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
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"{method}\n{path}\n{query}\n"));
        hash.AppendData(body);
        return hash.GetHashAndReset();
    }

    /// <summary>Keys are opaque to us, but bounded and printable ASCII so they are safe to store and log.</summary>
    public static bool IsValidKey(string key) =>
        key.Length is > 0 and <= MaxKeyLength && key.All(c => c is >= '!' and <= '~');
}
