namespace Cortex.SharedModel.Authorization;

/// <summary>
/// What an action is aimed at, with the facts the decision needs: its owner and, for content in a private
/// subcortex, whether the asking principal is a member. Callers load these facts; <see cref="Permissions.May"/> stays pure.
/// </summary>
public sealed record Resource
{
    public static readonly Resource System = new() { Kind = ResourceKind.System };

    public required ResourceKind Kind { get; init; }

    /// <summary>The principal that owns the resource: a thread's author, a key's principal, a principal itself.</summary>
    public string? OwnerId { get; init; }

    /// <summary>True when the resource lives in a private subcortex.</summary>
    public bool IsPrivate { get; init; }

    /// <summary>True when the asking principal is a member of the private subcortex the resource lives in.</summary>
    public bool AskerIsMember { get; init; }

    public static Resource Content(ResourceKind kind, string? ownerId, bool isPrivate, bool askerIsMember) =>
        new() { Kind = kind, OwnerId = ownerId, IsPrivate = isPrivate, AskerIsMember = askerIsMember };

    public static Resource OwnedBy(ResourceKind kind, string ownerId) => new() { Kind = kind, OwnerId = ownerId };
}
