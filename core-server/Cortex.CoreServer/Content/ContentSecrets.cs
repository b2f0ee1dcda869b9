using System.Globalization;
using Cortex.CoreServer.Errors;
using Cortex.SecretScanning;

namespace Cortex.CoreServer.Content;

/// <summary>
/// The server's own secret scan of every content write it receives (issue 5, defence in depth: cortexd redacts before
/// anything enters its outbox, but REST clients and older daemons do not). A finding refuses the whole write with a
/// problem that names the kinds, fields and lines of what was found, never the text itself.
/// </summary>
internal sealed class ContentSecrets(SecretScanner scanner)
{
    public static readonly ProblemKind SecretDetected = new(
        "secret-detected", "The content contains what looks like a secret; remove it and send the write again.", 422);

    /// <summary>Scans each named text (null ones are skipped) and throws once for all that hold secrets.</summary>
    /// <exception cref="CortexException">of kind <see cref="SecretDetected"/> when anything was found.</exception>
    public void Require(params ReadOnlySpan<(string Field, string? Text)> fields)
    {
        if (Find(fields) is { } errors)
        {
            throw new CortexException(SecretDetected, Describe(errors), errors);
        }
    }

    /// <summary>
    /// Per field, where each secret is (<c>"github-token at line 2, column 5"</c>), plus <c>secretKinds</c>: the kinds
    /// found; null when the texts are clean.
    /// </summary>
    public Dictionary<string, string[]>? Find(params ReadOnlySpan<(string Field, string? Text)> fields)
    {
        Dictionary<string, string[]>? errors = null;
        SortedSet<string>? kinds = null;
        foreach (var (field, text) in fields)
        {
            if (string.IsNullOrEmpty(text))
            {
                continue;
            }

            var findings = scanner.Scan(text);
            if (findings.Count == 0)
            {
                continue;
            }

            errors ??= new Dictionary<string, string[]>(StringComparer.Ordinal);
            kinds ??= new SortedSet<string>(StringComparer.Ordinal);
            errors[field] = [.. findings.Select(f => $"{f.Kind} at line {f.Line.ToString(CultureInfo.InvariantCulture)}, column {f.Column.ToString(CultureInfo.InvariantCulture)}")];
            kinds.UnionWith(findings.Select(f => f.Kind));
        }

        if (errors is not null && kinds is not null)
        {
            errors[KindsField] = [.. kinds];
        }

        return errors;
    }

    public static string Describe(IReadOnlyDictionary<string, string[]> errors) =>
        $"The secret scan found {string.Join(", ", errors[KindsField])} in {string.Join(", ", errors.Keys.Where(k => k != KindsField))}; nothing was written.";

    private const string KindsField = "secretKinds";
}
