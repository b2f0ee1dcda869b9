using System.Text.Json;
using Cortex.Daemon.Search;

namespace Cortex.Daemon.Mcp;

// The structured results of the MCP tools: every item carries what an agent needs to cite it (id, kind, title,
// trust, subcortex, updated, pending).

internal sealed record SearchResult(string Query, int Count, IReadOnlyList<CitableHit> Results);

internal sealed record CommentView(string Id, string Body, string? AuthorId, DateTimeOffset? Created, bool Pending);

internal sealed record ThreadView(
    string Id, string Kind, string Title, string? ThreadKind, string Subcortex, string Trust, string Body, string? AuthorId,
    DateTimeOffset? Created, DateTimeOffset? Updated, bool Pending, IReadOnlyList<CommentView> Comments);

internal sealed record VersionSummary(string Id, int Number, string State, DateTimeOffset? Created, bool Pending);

internal sealed record ArtifactView(
    string Id, string Kind, string Title, string? ArtifactKind, string Subcortex, string Trust, int? CanonVersion, int? Version,
    string? VersionState, string Body, DateTimeOffset? Updated, bool Pending, IReadOnlyList<VersionSummary> Versions);

internal sealed record SubcortexView(string Id, string Slug, string Name, string? Description, string? State, bool IsPrivate, long Items);

internal sealed record SubcortexList(int Count, IReadOnlyList<SubcortexView> Subcortexes);

internal sealed record ActivityItem(string Id, string Kind, string Title, string Trust, string Subcortex, DateTimeOffset Updated, bool Pending);

internal sealed record ActivityList(int Count, IReadOnlyList<ActivityItem> Items);

internal sealed record TaskView(
    string Id, string Kind, string Title, string? Description, string? State, string? AssigneeId, string? DueAt, string Subcortex, long Version,
    DateTimeOffset? Updated, bool Pending);

internal sealed record TaskList(int Count, IReadOnlyList<TaskView> Tasks);

/// <summary>The answer to a write: its client id (the idempotency key), where it stands, and what the scanner removed.</summary>
internal sealed record WriteResult(
    string ClientId, string State, bool Pending, string? EntityId, string? DraftId, string? ReasonCode, string? Message,
    IReadOnlyDictionary<string, int> SecretsRedacted, string Note);

internal sealed record SyncStatusResult(JsonElement Status);
