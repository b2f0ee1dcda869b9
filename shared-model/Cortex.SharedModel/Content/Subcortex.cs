namespace Cortex.SharedModel.Content;

/// <summary>A topical space. Private subcortexes are visible to their members (and admins) only.</summary>
public sealed record Subcortex
{
    public required string Id { get; init; }
    public required string Slug { get; init; }
    public required string Name { get; init; }
    public string Description { get; init; } = "";
    public required SubcortexState State { get; init; }
    public bool IsPrivate { get; init; }
    public string? MergedIntoId { get; init; }
    public required string CreatedBy { get; init; }
    public long Version { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
}
