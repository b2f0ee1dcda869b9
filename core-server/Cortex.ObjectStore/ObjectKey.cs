namespace Cortex.ObjectStore;

/// <summary>
/// Object keys: segments of <c>[A-Za-z0-9._-]</c> joined by <c>/</c>, at most 512 characters; no empty segment,
/// no segment starting with a dot (so no <c>.</c> or <c>..</c>), no backslash, no control character, no leading
/// slash. The whitelist makes every key a safe relative path on any file system and a plain S3 key.
/// </summary>
public static class ObjectKey
{
    public const int MaxLength = 512;

    /// <summary>The prefix of content-addressed keys.</summary>
    public const string Sha256Prefix = "sha256/";

    /// <summary>Throws <see cref="InvalidObjectKeyException"/> unless <paramref name="key"/> is valid.</summary>
    public static void Validate(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var problem = Check(key, allowTrailingSlash: false);
        if (problem is not null)
        {
            throw new InvalidObjectKeyException(key, problem);
        }
    }

    /// <summary>Validates a listing prefix: empty, a key, a key ending in <c>/</c>, or a partial segment.</summary>
    public static void ValidatePrefix(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        if (prefix.Length == 0)
        {
            return;
        }

        var problem = Check(prefix, allowTrailingSlash: true);
        if (problem is not null)
        {
            throw new InvalidObjectKeyException(prefix, problem);
        }
    }

    public static bool IsValid(string key) => key is not null && Check(key, allowTrailingSlash: false) is null;

    /// <summary>The key of content with this sha256: <c>sha256/ab/cdef…</c> (the first two hex digits fan out).</summary>
    public static string ForSha256(string sha256Hex)
    {
        ArgumentNullException.ThrowIfNull(sha256Hex);
        if (sha256Hex.Length != 64 || !sha256Hex.All(char.IsAsciiHexDigitLower))
        {
            throw new ArgumentException("A sha256 is 64 lower-case hex digits.", nameof(sha256Hex));
        }

        return string.Concat(Sha256Prefix, sha256Hex.AsSpan(0, 2), "/", sha256Hex.AsSpan(2));
    }

    /// <summary>The sha256 a content-addressed key stands for, or null for any other key.</summary>
    public static string? TryGetSha256(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length != Sha256Prefix.Length + 65 || !key.StartsWith(Sha256Prefix, StringComparison.Ordinal)
            || key[Sha256Prefix.Length + 2] != '/')
        {
            return null;
        }

        var hex = string.Concat(key.AsSpan(Sha256Prefix.Length, 2), key.AsSpan(Sha256Prefix.Length + 3));
        return hex.All(char.IsAsciiHexDigitLower) ? hex : null;
    }

    private static string? Check(string key, bool allowTrailingSlash)
    {
        if (key.Length == 0)
        {
            return "it is empty";
        }

        if (key.Length > MaxLength)
        {
            return $"it is longer than {MaxLength} characters";
        }

        foreach (var c in key)
        {
            if (c == '\\')
            {
                return "it contains a backslash";
            }

            if (char.IsControl(c))
            {
                return "it contains a control character";
            }

            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or '/'))
            {
                return $"it contains '{c}'; only ASCII letters, digits, '.', '_', '-' and '/' are allowed";
            }
        }

        if (key[0] == '/')
        {
            return "it is an absolute path";
        }

        var body = allowTrailingSlash && key[^1] == '/' ? key[..^1] : key;
        foreach (var segment in body.Split('/'))
        {
            if (segment.Length == 0)
            {
                return "it has an empty segment";
            }

            if (segment[0] == '.')
            {
                return "a segment starts with '.'";
            }
        }

        return null;
    }
}
