namespace Cortex.SharedModel.Principals;

/// <summary>
/// The public description of an API key. The secret is shown once at creation and never stored in clear;
/// <see cref="Prefix"/> is the non-secret part used for lookup.
/// </summary>
public sealed record ApiKey
{
    public required string Id { get; init; }
    public required string PrincipalId { get; init; }
    public required string Prefix { get; init; }
    public required string Name { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? ExpiresAt { get; init; }
    public DateTimeOffset? RevokedAt { get; init; }
    public DateTimeOffset? LastUsedAt { get; init; }

    public bool IsActiveAt(DateTimeOffset now) => RevokedAt is null && (ExpiresAt is null || ExpiresAt > now);
}
