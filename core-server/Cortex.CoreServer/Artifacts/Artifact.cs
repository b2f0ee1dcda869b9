namespace Cortex.CoreServer.Artifacts;

public enum ArtifactState
{
    Active,
    Deprecated,
    Superseded,
}

public enum VersionState
{
    Proposed,
    Canon,
    Superseded,
}

/// <summary>A versioned document (runbook, decision, spec). <see cref="CanonVersion"/> is the one version trusted as canon.</summary>
public sealed record Artifact
{
    public required string Id { get; init; }
    public required string SubcortexId { get; init; }
    public required string Title { get; init; }
    public required string Kind { get; init; }
    public required ArtifactState State { get; init; }
    public string? SupersededBy { get; init; }
    public int? CanonVersion { get; init; }
    public int LatestVersion { get; init; }
    public required string CreatedBy { get; init; }
    public long Version { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>
/// One version of an artifact's body. While proposed, its text is co-edited live (each write bumps <see cref="Revision"/>
/// and names its writer in <see cref="Editors"/>); once canon or superseded it never changes, only its state moves.
/// </summary>
public sealed record ArtifactVersion
{
    public required string ArtifactId { get; init; }
    public required int Number { get; init; }
    public required string Body { get; init; }
    public required string BodyHtml { get; init; }
    public EvidenceLink[] Evidence { get; init; } = [];
    public int? BasedOn { get; init; }
    public required string AuthorId { get; init; }
    public required VersionState State { get; init; }
    public string? AcceptedBy { get; init; }
    public DateTimeOffset? AcceptedAt { get; init; }
    public string? DraftId { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public int Revision { get; init; } = 1;
    public string[] Editors { get; init; } = [];
}

public sealed record CreateArtifactRequest(string? Subcortex, string? Title, string? Kind);

public sealed record ProposeVersionRequest(string? Body, EvidenceLink[]? Evidence, int? BasedOn);

public sealed record SupersedeArtifactRequest(string? By);

public sealed record ArtifactDiff(int From, int To, string Unified);
