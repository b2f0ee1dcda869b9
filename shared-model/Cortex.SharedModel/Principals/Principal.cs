namespace Cortex.SharedModel.Principals;

/// <summary>A human or an agent. Agents always have the <see cref="Role.Agent"/> role.</summary>
public sealed record Principal
{
    public required string Id { get; init; }
    public required string Handle { get; init; }
    public required string DisplayName { get; init; }
    public required PrincipalKind Kind { get; init; }
    public required Role Role { get; init; }
    public bool Disabled { get; init; }
    public long Version { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
}
