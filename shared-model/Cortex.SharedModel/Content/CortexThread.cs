namespace Cortex.SharedModel.Content;

/// <summary>A discussion, question, incident, decision… Its body is markdown; <see cref="BodyHtml"/> is the sanitized rendering.</summary>
public sealed record CortexThread
{
    public required string Id { get; init; }
    public required string SubcortexId { get; init; }
    public required string Title { get; init; }
    public required ThreadKind Kind { get; init; }
    public required string Body { get; init; }
    public required string BodyHtml { get; init; }
    public required string AuthorId { get; init; }
    public long Version { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
}
