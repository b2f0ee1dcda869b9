using System.Collections;
using Cortex.SecretScanning.Detection;

namespace Cortex.SecretScanning;

/// <summary>
/// Finds credentials in text and redacts them. Thread-safe; construct one per workspace (its allowlist) and reuse it.
/// Every pattern runs on the linear-time (non-backtracking) regex engine, so the cost of a call grows with the
/// length of the text, whatever the text is.
/// </summary>
public sealed class SecretScanner
{
    private readonly SecretScannerOptions _options;

    public SecretScanner(SecretScannerOptions? options = null)
    {
        _options = options ?? new SecretScannerOptions();
        if (_options.MaxInputLength <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "SecretScannerOptions.MaxInputLength must be positive.");
        }
    }

    /// <summary>The findings in order of position; overlapping matches are resolved to the most specific detector.</summary>
    /// <exception cref="SecretInputTooLargeException">The text is longer than the configured maximum.</exception>
    public IReadOnlyList<SecretFinding> Scan(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > _options.MaxInputLength)
        {
            throw new SecretInputTooLargeException(text.Length, _options.MaxInputLength);
        }

        var candidates = new List<(Detector Detector, Candidate Candidate)>();
        foreach (var detector in DetectorCatalog.All)
        {
            foreach (var candidate in detector.Find(text))
            {
                candidates.Add((detector, candidate));
            }
        }

        if (candidates.Count == 0)
        {
            return [];
        }

        // Most specific first, then the longest span, so "GITHUB_TOKEN=ghp_…" is a github-token, not a generic secret.
        candidates.Sort((a, b) =>
        {
            var byTier = a.Detector.Tier.CompareTo(b.Detector.Tier);
            if (byTier != 0)
            {
                return byTier;
            }

            var byLength = b.Candidate.Length.CompareTo(a.Candidate.Length);
            return byLength != 0 ? byLength : a.Candidate.Start.CompareTo(b.Candidate.Start);
        });

        // Accepted spans never overlap, so marking their characters keeps the check linear in the text's length.
        var taken = new BitArray(text.Length);
        var accepted = new List<(Detector Detector, Candidate Candidate)>();
        foreach (var entry in candidates)
        {
            var (start, end) = (entry.Candidate.Start, entry.Candidate.End);
            if (IsTaken(taken, start, end) || _options.Allowlist.IsAllowed(entry.Candidate.Value))
            {
                continue;
            }

            for (var i = start; i < end; i++)
            {
                taken[i] = true;
            }

            accepted.Add(entry);
        }

        accepted.Sort((a, b) => a.Candidate.Start.CompareTo(b.Candidate.Start));
        var positions = new TextPositions(text);
        return accepted.ConvertAll(entry =>
        {
            var (line, column) = positions.Locate(entry.Candidate.Start);
            return new SecretFinding(
                entry.Detector.Kind, entry.Detector.Id, line, column, entry.Candidate.Start, entry.Candidate.Length);
        });
    }

    /// <summary>Replaces each secret by <c>[REDACTED:kind]</c>; everything else in the text is kept as it was.</summary>
    /// <exception cref="SecretInputTooLargeException">The text is longer than the configured maximum.</exception>
    public RedactionResult Redact(string text)
    {
        var findings = Scan(text);
        if (findings.Count == 0)
        {
            return new RedactionResult(text, findings);
        }

        var builder = new System.Text.StringBuilder(text.Length);
        var position = 0;
        foreach (var finding in findings)
        {
            builder.Append(text, position, finding.Offset - position).Append(RedactionResult.Marker(finding.Kind));
            position = finding.End;
        }

        builder.Append(text, position, text.Length - position);
        return new RedactionResult(builder.ToString(), findings);
    }

    private static bool IsTaken(BitArray taken, int start, int end)
    {
        for (var i = start; i < end; i++)
        {
            if (taken[i])
            {
                return true;
            }
        }

        return false;
    }
}
