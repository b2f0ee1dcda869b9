namespace Cortex.CoreServer.Tasks;

/// <summary>
/// Assignable work in a subcortex. The JSON shape is also the change-feed payload the replicas index
/// (<c>title</c>, <c>state</c>, <c>assigneeId</c>, <c>dueAt</c>).
/// </summary>
public sealed record CortexTask
{
    public required string Id { get; init; }
    public required string SubcortexId { get; init; }
    public required string Title { get; init; }
    public string Description { get; init; } = "";
    public required TaskState State { get; init; }
    public string? AssigneeId { get; init; }
    public DateTimeOffset? DueAt { get; init; }

    /// <summary>What the task is about, when it is about an item: <c>thread</c>, <c>draft</c> or <c>artifact</c>.</summary>
    public string? LinkKind { get; init; }

    public string? LinkId { get; init; }
    public required string CreatedBy { get; init; }
    public required string UpdatedBy { get; init; }
    public long Version { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public DateTimeOffset? CompletedAt { get; init; }
}
