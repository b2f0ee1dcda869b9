namespace Cortex.CoreServer.Templates;

/// <summary>
/// What a subcortex expects of one kind of content: a thread kind (<c>incident</c>), <c>comment</c>, or an artifact kind
/// (<c>runbook</c>). <see cref="Wildcard"/> applies to every kind without a template of its own.
/// </summary>
public sealed record SubcortexTemplate
{
    public const string Wildcard = "*";

    public required string SubcortexId { get; init; }
    public required string Kind { get; init; }

    /// <summary>Headings the body must contain (any level, compared case-insensitively).</summary>
    public string[] RequiredSections { get; init; } = [];

    /// <summary>When true, every write of this kind becomes a draft, whoever writes it.</summary>
    public bool ReviewRequired { get; init; }

    /// <summary>How many evidence links an artifact version needs before it may become canon.</summary>
    public int MinEvidence { get; init; }

    /// <summary>Which evidence link kinds count towards <see cref="MinEvidence"/>.</summary>
    public string[] EvidenceKinds { get; init; } = [.. Artifacts.EvidenceLink.Kinds];

    public long Version { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>The section headings <paramref name="body"/> lacks, in template order.</summary>
    public IReadOnlyList<string> MissingSections(string body)
    {
        if (RequiredSections.Length == 0)
        {
            return [];
        }

        var headings = body.Split('\n')
            .Select(line => line.Trim())
            .Where(line => line.StartsWith('#'))
            .Select(line => line.TrimStart('#').Trim().TrimEnd('#').Trim())
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        return [.. RequiredSections.Where(section => !headings.Contains(section))];
    }
}

/// <summary>The body of <c>PUT /subcortexes/{slug}/templates/{kind}</c>.</summary>
public sealed record PutTemplateRequest(string[]? RequiredSections, bool? ReviewRequired, int? MinEvidence, string[]? EvidenceKinds);
