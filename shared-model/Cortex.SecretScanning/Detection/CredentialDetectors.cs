using System.Buffers;
using System.Text;
using System.Text.RegularExpressions;

namespace Cortex.SecretScanning.Detection;

/// <summary>
/// Credentials recognised by where they stand rather than by their format: in a URL, a connection string, an
/// HTTP header, or assigned to a secret-looking name.
/// </summary>
internal static class CredentialDetectors
{
    private const string SecretKeyword =
        "secret|token|credential|api[_.-]?key|apikey|(?:access|private|signing|encryption|master|session|auth|license|client|app)[_.-]?key";

    private static readonly Regex SecretKeywordRegex =
        new(SecretKeyword, RegexDetector.Options | RegexOptions.IgnoreCase, RegexDetector.MatchTimeout);

    private static readonly string[] SecretNameSuffixes = ["key", "value", "id", "str", "string", "b64", "base64", "hex"];

    private static readonly SearchValues<char> PasswordCharacters =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$%&*+-./:=?@[\\^_|~({");

    private static readonly SearchValues<char> SecretCharacters =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$%*+-./:=?@[\\^_|~({");

    private static readonly SearchValues<char> HexDigits = SearchValues.Create("0123456789abcdefABCDEF");

    private static readonly SearchValues<char> Letters =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

    private static readonly SearchValues<char> NameCharacters =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-");

    private static readonly SearchValues<char> CodeIdentifierCharacters =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_");

    private static readonly SearchValues<char> IdentifierCharacters =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-");

    public static IEnumerable<Detector> Create()
    {
        yield return new RegexDetector(
            "url-password", SecretKinds.UrlPassword, DetectorTier.Structure,
            @"[A-Za-z][A-Za-z0-9+.-]{1,30}://[^\s:/?#@""'<>\[\]]*:(?<secret>[^\s/?#@""'<>]*)@[A-Za-z0-9\[._%-]",
            ["://"], candidate => candidate.Length >= 4 && !ValueChecks.IsPlaceholder(candidate.Value));
        yield return new RegexDetector(
            "connection-string-password", SecretKinds.ConnectionStringPassword, DetectorTier.Structure,
            @"(?:;[ \t]*(?:password|pwd)[ \t]*=[ \t]*(?<secret>[^;""'\r\n]*[^;""'\s])|(?:password|pwd)[ \t]*=[ \t]*(?<secret>[^;""'\s]*)[ \t]*;)",
            ["password", "pwd"], IsConnectionStringPassword, ignoreCase: true);
        yield return new RegexDetector(
            "authorization-bearer", SecretKinds.BearerToken, DetectorTier.Structure,
            @"bearer[ \t]+(?<secret>[A-Za-z0-9._~+/-]*=*)", ["bearer"],
            candidate => candidate.Length >= 16 && IsHighEntropySecret(candidate), ignoreCase: true);
        yield return new RegexDetector(
            "authorization-basic", SecretKinds.BasicAuth, DetectorTier.Structure,
            @"authorization[""']?[ \t]*[:=][ \t]*[""']?basic[ \t]+(?<secret>[A-Za-z0-9+/]*={0,2})",
            ["basic"], IsBasicCredential, ignoreCase: true);
        yield return new AssignmentDetector(
            "password-assignment", SecretKinds.Password, "pass|pwd", IsPasswordName, PasswordCharacters, 6, IsPassword);
        yield return new AssignmentDetector(
            "secret-assignment", SecretKinds.GenericSecret, SecretKeyword, IsSecretName, SecretCharacters, 12,
            IsHighEntropySecret);
    }

    /// <summary>The least entropy, in bits per character, a value of this length needs to count as random.</summary>
    /// <remarks>Hex has at most 4 bits per character, so a random hex value needs a lower bar than base64.</remarks>
    public static double EntropyThreshold(string value) => (value.Length, IsHex(value)) switch
    {
        (< 16, _) => 3.0,
        (_, true) => 3.0,
        (< 24, false) => 3.3,
        _ => 3.5,
    };

    private static bool IsHex(string value) => value.AsSpan().IndexOfAnyExcept(HexDigits) < 0;

    private static bool IsHighEntropySecret(Candidate candidate)
    {
        var value = candidate.Value;
        return value.Length >= 12
            && !IsPublicName(candidate)
            && !ValueChecks.IsPlaceholder(value)
            && !ValueChecks.IsIdentifierLike(value)
            && !LooksLikeCode(value)
            && !IsDigest(value)
            && ValueChecks.CharacterClasses(value) >= 2
            && ValueChecks.Entropy(value) >= EntropyThreshold(value);
    }

    // Passwords are chosen by people, so they need less entropy than tokens, but still more than one kind of
    // character: that is what separates "S3cure!pass" from "password_field" or "getPassword".
    private static bool IsPassword(Candidate candidate)
    {
        var value = candidate.Value;
        return value.Length >= 6
            && !ValueChecks.IsPlaceholder(value)
            && !IsCodeReference(value.TrimStart('!'))
            && !LooksLikeCode(value)
            && !IsYamlTag(value)
            && !ValueChecks.IsPath(value)
            && ValueChecks.CharacterClasses(value) >= 2
            && ValueChecks.Entropy(value) >= 2.5;
    }

    private static bool IsBasicCredential(Candidate candidate)
    {
        var value = candidate.Value;
        if (ValueChecks.IsDocumentedExample(value))
        {
            return false;
        }

        var bytes = new byte[value.Length];
        if (!Convert.TryFromBase64String(value, bytes, out var written))
        {
            return false;
        }

        var decoded = Encoding.UTF8.GetString(bytes, 0, written);
        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && colon < decoded.Length - 1 && !ValueChecks.IsPlaceholder(decoded[(colon + 1)..]);
    }

    // "self.password", "config.db_password", "user_password": names of something, not a password.
    private static bool IsCodeReference(string value)
    {
        if (value.AsSpan().IndexOfAnyExcept(IdentifierCharacters) < 0 && value.AsSpan().IndexOfAnyInRange('0', '9') < 0)
        {
            return true;
        }

        var segments = value.Split('.');
        return value.Contains("://", StringComparison.Ordinal)
            || (segments.Length >= 2 && segments.All(IsIdentifier));
    }

    private static bool IsIdentifier(string segment) =>
        segment.Length > 0 && (char.IsAsciiLetter(segment[0]) || segment[0] == '_')
        && segment.AsSpan().IndexOfAnyExcept(CodeIdentifierCharacters) < 0;

    private static bool IsYamlTag(string value) => value[0] == '!' && value.AsSpan(1).IndexOfAnyExcept(Letters) < 0;

    private static bool IsDigest(string value) =>
        value.StartsWith("sha1", StringComparison.OrdinalIgnoreCase) || value.StartsWith("sha256", StringComparison.OrdinalIgnoreCase)
        || value.StartsWith("sha384", StringComparison.OrdinalIgnoreCase) || value.StartsWith("sha512", StringComparison.OrdinalIgnoreCase)
        || value.StartsWith("md5", StringComparison.OrdinalIgnoreCase);

    // .NET's PublicKeyToken, a public_key_id: named like secrets, published by design.
    private static bool IsPublicName(Candidate candidate) =>
        AssignedName(candidate, out _).Contains("public", StringComparison.OrdinalIgnoreCase);

    // "Password=" in a connection string starts a key: after a ';', a quote, a brace, a space or the line start.
    private static bool IsConnectionStringPassword(Candidate candidate)
    {
        AssignedName(candidate, out var before);
        return candidate.Length >= 4 && before is '\0' or ';' or '"' or '\'' or '{' or ' ' or '\t'
            && !ValueChecks.IsPlaceholder(candidate.Value);
    }

    // "pass" alone is too common a word part (bypass, compass), so it only counts as a whole name or a name's last part.
    private static bool IsPasswordName(string name)
    {
        var lower = name.ToLowerInvariant();
        return lower.Contains("passw", StringComparison.Ordinal) || lower.Contains("passphrase", StringComparison.Ordinal)
            || lower.Contains("pwd", StringComparison.Ordinal) || lower == "pass"
            || (lower.EndsWith("pass", StringComparison.Ordinal) && lower.Length > 4 && lower[^5] is '_' or '-' or '.');
    }

    // What may follow the secret word in a name: "SECRET_KEY", "secretKey", "tokens", but not "tokenizer" or "tokenEndpoint".
    private static bool IsSecretName(string name)
    {
        for (var match = SecretKeywordRegex.Match(name); match.Success; match = match.NextMatch())
        {
            var suffix = name.AsSpan(match.Index + match.Length);
            if (suffix.IsEmpty || suffix is "s" or "S" || suffix[0] is '_' or '.' or '-' || StartsWithAny(suffix, SecretNameSuffixes))
            {
                return true;
            }
        }

        return false;
    }

    private static bool StartsWithAny(ReadOnlySpan<char> text, string[] prefixes)
    {
        foreach (var prefix in prefixes)
        {
            if (text.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The name a value is assigned to, e.g. "DB_PASSWORD" in <c>export DB_PASSWORD='…'</c>.</summary>
    private static string AssignedName(Candidate candidate, out char before)
    {
        var head = candidate.LineBefore.TrimEnd(" \t\"'`:=>,]");
        var nameStart = head.LastIndexOfAnyExcept(NameCharacters) + 1;
        before = nameStart == 0 ? '\0' : head[nameStart - 1];
        return head[nameStart..].ToString();
    }

    private static bool LooksLikeCode(string value) =>
        value.Contains("?.", StringComparison.Ordinal) || value.Contains("??", StringComparison.Ordinal) || value.Contains('[') || value.Contains('(') || value.Contains("->", StringComparison.Ordinal) || value.Contains("::", StringComparison.Ordinal)
        || value.EndsWith('{');
}
