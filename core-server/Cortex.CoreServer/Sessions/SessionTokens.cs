using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Cortex.CoreServer.Sessions;

/// <summary>
/// Session cookie tokens and CSRF tokens: 256 random bits, base64url. Only the SHA-256 of a session token is stored;
/// like API keys, a slow hash buys nothing for secrets this long.
/// </summary>
internal static class SessionTokens
{
    private const int TokenBytes = 32;
    private static readonly int TokenLength = Base64Url.GetEncodedLength(TokenBytes);

    public static string New() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(TokenBytes));

    public static byte[] Hash(string token) => SHA256.HashData(Encoding.ASCII.GetBytes(token));

    /// <summary>True when <paramref name="token"/> has the shape of a token we issued (so junk never reaches SQL).</summary>
    public static bool IsWellFormed(string? token) =>
        token is not null && token.Length == TokenLength && Base64Url.IsValid(token);

    /// <summary>Constant-time comparison of a presented CSRF token with the session's.</summary>
    public static bool CsrfMatches(string? presented, string expected) =>
        presented is not null
        && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(presented), Encoding.ASCII.GetBytes(expected));
}
