using System.Text.Json;

namespace Cortex.CoreServer.Observations;

/// <summary>
/// A small machine-recorded fact or event. <see cref="Text"/> is markdown; <see cref="TextHtml"/> is its sanitized
/// rendering, made when it is read (batches are ingested without rendering).
/// </summary>
public sealed record Observation
{
    public required string Id { get; init; }
    public required string ClientId { get; init; }
    public required string SubcortexId { get; init; }
    public required string AuthorId { get; init; }
    public required string Kind { get; init; }
    public string? Source { get; init; }
    public required string Text { get; init; }
    public string? TextHtml { get; init; }
    public required JsonElement Attributes { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
    public required IReadOnlyList<string> AttachmentIds { get; init; }
    public long Version { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>The outcome of one item of a batch: <c>created</c>, <c>existing</c> (a replay), <c>conflict</c> or <c>rejected</c>.</summary>
public sealed record ObservationItemResult(int Index, string? ClientId, string Status, string? Id, IReadOnlyList<ItemError>? Errors);

/// <summary>Why an item was refused: the field (as sent, e.g. <c>attachmentIds[1]</c>) and a message.</summary>
public sealed record ItemError(string Field, string Message);

/// <summary>The answer to a batch: counts per outcome and one result per item, in the order sent.</summary>
public sealed record ObservationBatchResult(
    int Created, int Existing, int Conflicts, int Rejected, IReadOnlyList<ObservationItemResult> Results);
