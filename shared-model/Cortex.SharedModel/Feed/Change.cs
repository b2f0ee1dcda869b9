namespace Cortex.SharedModel.Feed;

/// <summary>
/// One committed mutation at a position of the change feed. <see cref="SubcortexId"/> scopes visibility: content
/// of a private subcortex is only fed to its members; <see cref="PrincipalId"/> scopes principal and key changes.
/// </summary>
public sealed record Change
{
    public required long Position { get; init; }
    public required string Entity { get; init; }
    public required string EntityId { get; init; }
    public required ChangeOperation Operation { get; init; }
    public required long Version { get; init; }
    public string? SubcortexId { get; init; }
    public string? PrincipalId { get; init; }
    public DateTimeOffset CommittedAt { get; init; }
}
