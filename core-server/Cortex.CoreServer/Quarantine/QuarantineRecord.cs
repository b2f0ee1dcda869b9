namespace Cortex.CoreServer.Quarantine;

/// <summary>One quarantine of one item, active until <see cref="LiftedAt"/> is set.</summary>
public sealed record QuarantineRecord
{
    public required string Id { get; init; }
    /// <summary>thread, comment, observation or artifactVersion (feed entity names).</summary>
    public required string Entity { get; init; }
    /// <summary>The item's id; an artifact version's is <c>{artifactId}:{number}</c>.</summary>
    public required string EntityId { get; init; }
    public required string SubcortexId { get; init; }
    public required string Reason { get; init; }
    public required string QuarantinedBy { get; init; }
    public required DateTimeOffset QuarantinedAt { get; init; }
    public string? LiftedBy { get; init; }
    public DateTimeOffset? LiftedAt { get; init; }
    public string? LiftReason { get; init; }
    public bool Active => LiftedAt is null;
}

public sealed record QuarantineRequest(string? Entity, string? EntityId, string? Reason);

public sealed record LiftQuarantineRequest(string? Reason);
