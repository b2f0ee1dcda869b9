using Cortex.CoreServer.Artifacts;

namespace Cortex.CoreServer.Drafts;

public enum DraftKind
{
    Thread,
    Comment,
    ArtifactVersion,
}

public enum DraftState
{
    Pending,
    Approved,
    Rejected,
}

/// <summary>
/// Proposed content awaiting review. Approval materializes it as a thread, a comment on <see cref="ThreadId"/>, or a
/// version of <see cref="ArtifactId"/>, whose id becomes <see cref="MaterializedId"/>. The body is markdown source;
/// the collaborative (CRDT) body arrives with the co-editing work.
/// </summary>
public sealed record Draft
{
    public required string Id { get; init; }
    public required DraftKind Kind { get; init; }
    public required string SubcortexId { get; init; }
    public string? ThreadId { get; init; }
    public string? ArtifactId { get; init; }
    public required string AuthorId { get; init; }
    public string? Title { get; init; }
    public string? ThreadKind { get; init; }
    public required string Body { get; init; }
    public EvidenceLink[] Evidence { get; init; } = [];
    public required DraftState State { get; init; }
    public string? Reason { get; init; }
    public string? ReviewedBy { get; init; }
    public DateTimeOffset? ReviewedAt { get; init; }
    public long? ApprovalLatencyMs { get; init; }
    public string? MaterializedId { get; init; }
    public long Version { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>What a new draft holds; <see cref="DraftStore.CreateAsync"/> writes it.</summary>
internal sealed record NewDraft(
    DraftKind Kind,
    string SubcortexId,
    string AuthorId,
    string Body,
    IReadOnlyList<EvidenceLink> Evidence,
    string? Title = null,
    string? ThreadKind = null,
    string? ThreadId = null,
    string? ArtifactId = null);

public sealed record CreateDraftRequest(
    string? Kind, string? Subcortex, string? Title, string? ThreadKind, string? Body, string? ThreadId, string? ArtifactId, EvidenceLink[]? Evidence);

public sealed record UpdateDraftRequest(string? Title, string? Body, EvidenceLink[]? Evidence, long? Version);

public sealed record RejectDraftRequest(string? Reason);

public sealed record DraftDecision(string? Id, string? Action, string? Reason);

public sealed record BatchDraftsRequest(DraftDecision[]? Items);

/// <summary>One item's outcome in a batch: the draft after the decision, or the problem that refused it.</summary>
public sealed record BatchItemResult(string? Id, int Status, Draft? Draft, string? ProblemType, string? Detail);

public sealed record BatchDraftsResponse(IReadOnlyList<BatchItemResult> Results);
