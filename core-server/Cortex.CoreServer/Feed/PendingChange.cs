using Cortex.SharedModel.Feed;

namespace Cortex.CoreServer.Feed;

/// <summary>
/// A mutation waiting for its feed position. <see cref="SubcortexId"/> limits visibility to readers of that subcortex;
/// <see cref="PrincipalId"/> limits it to that principal (and admins).
/// </summary>
internal sealed record PendingChange(
    string Entity,
    string EntityId,
    ChangeOperation Operation,
    long Version,
    string? SubcortexId = null,
    string? PrincipalId = null);
