using System.Security.Cryptography;

namespace Cortex.CoreServer.Auth;

/// <summary>
/// API keys look like <c>ctx_&lt;prefix&gt;_&lt;secret&gt;</c>. The prefix is stored in clear for lookup; the secret
/// (256 random bits) is stored as its SHA-256. A slow password hash buys nothing for secrets this long, and a fast
/// hash keeps authentication cheap on every request.
/// </summary>
internal static class ApiKeys
{
    public const string Scheme = "ctx_";
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz234567";
    private const int PrefixBytes = 10;
    private const int SecretBytes = 32;
    private static readonly int PrefixLength = Base32Length(PrefixBytes);
    private static readonly int SecretLength = Base32Length(SecretBytes);

    public static (string Key, string Prefix, byte[] SecretHash) Generate()
    {
        var prefix = Base32(RandomNumberGenerator.GetBytes(PrefixBytes));
        var secret = Base32(RandomNumberGenerator.GetBytes(SecretBytes));
        return ($"{Scheme}{prefix}_{secret}", prefix, Hash(secret));
    }

    public static bool TryParse(ReadOnlySpan<char> key, out string prefix, out string secret)
    {
        prefix = secret = "";
        if (key.Length != Scheme.Length + PrefixLength + 1 + SecretLength
            || !key.StartsWith(Scheme, StringComparison.Ordinal)
            || key[Scheme.Length + PrefixLength] != '_')
        {
            return false;
        }

        var prefixSpan = key.Slice(Scheme.Length, PrefixLength);
        var secretSpan = key[(Scheme.Length + PrefixLength + 1)..];
        if (prefixSpan.ContainsAnyExcept(Alphabet) || secretSpan.ContainsAnyExcept(Alphabet))
        {
            return false;
        }

        prefix = prefixSpan.ToString();
        secret = secretSpan.ToString();
        return true;
    }

    public static byte[] Hash(string secret) => SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(secret));

    public static bool Matches(string secret, byte[] storedHash) =>
        CryptographicOperations.FixedTimeEquals(Hash(secret), storedHash);

    private static int Base32Length(int bytes) => ((bytes * 8) + 4) / 5;

    private static string Base32(byte[] bytes)
    {
        var chars = new char[Base32Length(bytes.Length)];
        int buffer = 0, bits = 0, at = 0;
        foreach (var b in bytes)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                chars[at++] = Alphabet[(buffer >> (bits - 5)) & 31];
                bits -= 5;
            }
        }

        if (bits > 0)
        {
            chars[at] = Alphabet[(buffer << (5 - bits)) & 31];
        }

        return new string(chars);
    }
}
