namespace Cortex.SecretScanning;

/// <summary>The text with every reported secret replaced by a marker, and what was replaced.</summary>
/// <param name="Text">The redacted text.</param>
/// <param name="Findings">The findings, with positions in the original (unredacted) text.</param>
public sealed record RedactionResult(string Text, IReadOnlyList<SecretFinding> Findings)
{
    public bool HasFindings => Findings.Count > 0;

    /// <summary>The marker that replaces a secret of the given kind.</summary>
    public static string Marker(string kind) => $"[REDACTED:{kind}]";
}
