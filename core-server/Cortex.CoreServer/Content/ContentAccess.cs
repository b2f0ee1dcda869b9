using Cortex.SharedModel.Authorization;
using Cortex.SharedModel.Content;

namespace Cortex.CoreServer.Content;

/// <summary>The facts about a piece of content's subcortex that permission checks need, loaded with the content.</summary>
internal sealed record ContentAccess
{
    public const string Sql =
        "s.is_private, EXISTS (SELECT 1 FROM subcortex_members m WHERE m.subcortex_id = s.id AND m.principal_id = @me) AS asker_is_member, s.state AS subcortex_state";

    public bool IsPrivate { get; init; }
    public bool AskerIsMember { get; init; }
    public SubcortexState SubcortexState { get; init; }

    public Resource Resource(ResourceKind kind, string? ownerId) =>
        SharedModel.Authorization.Resource.Content(kind, ownerId, IsPrivate, AskerIsMember);

    /// <summary>New content goes only into active subcortexes: a proposed one waits for a reviewer to activate it (issue 6).</summary>
    public bool AcceptsContent => SubcortexState is SubcortexState.Active;
}
