using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Cortex.SecretScanning;

/// <summary>
/// A workspace's allowlist: exact values, SHA-256 fingerprints of values, and regular expressions matched against
/// values. A finding whose value is allowed is not reported.
/// </summary>
/// <remarks>
/// The file format is one entry per line: <c>value:TEXT</c>, <c>sha256:HEX</c> (64 hex digits of the SHA-256 of
/// the value's UTF-8 bytes) or <c>regex:PATTERN</c>; blank lines and lines starting with <c>#</c> are ignored.
/// Fingerprints let a workspace allow a value without writing it down.
/// </remarks>
public sealed class SecretAllowlist
{
    private static readonly TimeSpan PatternTimeout = TimeSpan.FromSeconds(1);

    private readonly HashSet<string> _values;
    private readonly HashSet<string> _fingerprints;
    private readonly Regex[] _patterns;

    public SecretAllowlist(IEnumerable<string> values, IEnumerable<string> fingerprints, IEnumerable<string> patterns)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(fingerprints);
        ArgumentNullException.ThrowIfNull(patterns);
        _values = new HashSet<string>(values, StringComparer.Ordinal);
        _fingerprints = new HashSet<string>(fingerprints.Select(NormalizeFingerprint), StringComparer.Ordinal);
        _patterns = [.. patterns.Select(CompilePattern)];
    }

    public static SecretAllowlist Empty { get; } = new([], [], []);

    public bool IsEmpty => _values.Count == 0 && _fingerprints.Count == 0 && _patterns.Length == 0;

    /// <summary>The lowercase hex SHA-256 of the value's UTF-8 bytes, as written after <c>sha256:</c>.</summary>
    public static string Fingerprint(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));
    }

    public bool IsAllowed(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (IsEmpty)
        {
            return false;
        }

        return _values.Contains(value)
            || (_fingerprints.Count > 0 && _fingerprints.Contains(Fingerprint(value)))
            || _patterns.Any(pattern => pattern.IsMatch(value));
    }

    /// <exception cref="FormatException">A line is not a valid entry; the message names the line.</exception>
    public static SecretAllowlist Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var values = new List<string>();
        var fingerprints = new List<string>();
        var patterns = new List<string>();
        var lineNumber = 0;
        foreach (var rawLine in text.Split('\n'))
        {
            lineNumber++;
            var line = rawLine.TrimEnd('\r');
            if (line.Trim().Length == 0 || line.TrimStart().StartsWith('#'))
            {
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var prefix = colon < 0 ? line : line[..colon].Trim();
            var entry = colon < 0 ? string.Empty : line[(colon + 1)..];
            try
            {
                switch (prefix)
                {
                    case "value" when entry.Length > 0:
                        values.Add(entry);
                        break;
                    case "sha256":
                        fingerprints.Add(NormalizeFingerprint(entry));
                        break;
                    case "regex" when entry.Length > 0:
                        CompilePattern(entry);
                        patterns.Add(entry);
                        break;
                    default:
                        throw new FormatException("expected 'value:TEXT', 'sha256:HEX' or 'regex:PATTERN'");
                }
            }
            catch (Exception exception) when (exception is FormatException or ArgumentException or NotSupportedException)
            {
                throw new FormatException($"Allowlist line {lineNumber}: {exception.Message}", exception);
            }
        }

        return new SecretAllowlist(values, fingerprints, patterns);
    }

    public static async Task<SecretAllowlist> LoadAsync(string path, CancellationToken cancellationToken = default)
    {
        var text = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        return Parse(text);
    }

    private static string NormalizeFingerprint(string fingerprint)
    {
        var trimmed = fingerprint.Trim().ToLowerInvariant();
        if (trimmed.Length != 64 || !trimmed.All(char.IsAsciiHexDigit))
        {
            throw new FormatException("a sha256 fingerprint is 64 hex digits");
        }

        return trimmed;
    }

    // Allowlist patterns come from users, so they get the same linear-time engine as the detectors.
    private static Regex CompilePattern(string pattern) =>
        new(pattern, RegexOptions.NonBacktracking | RegexOptions.CultureInvariant, PatternTimeout);
}
