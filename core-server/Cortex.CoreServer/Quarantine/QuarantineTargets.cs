using Cortex.SharedModel.Authorization;
using Cortex.SharedModel.Feed;

namespace Cortex.CoreServer.Quarantine;

/// <summary>What can be quarantined, and how to find an item's subcortex, feed version and access facts.</summary>
internal static class QuarantineTargets
{
    public static readonly IReadOnlyList<string> Entities =
        [EntityNames.Thread, EntityNames.Comment, EntityNames.Observation, EntityNames.ArtifactVersion];

    private const string Access =
        "s.id AS subcortexid, s.is_private AS isprivate, EXISTS (SELECT 1 FROM subcortex_members m WHERE m.subcortex_id = s.id AND m.principal_id = @me) AS askerismember";

    public static ResourceKind ResourceKind(string entity) => entity switch
    {
        EntityNames.Thread => SharedModel.Authorization.ResourceKind.Thread,
        EntityNames.Comment => SharedModel.Authorization.ResourceKind.Comment,
        EntityNames.Observation => SharedModel.Authorization.ResourceKind.Observation,
        _ => SharedModel.Authorization.ResourceKind.Artifact,
    };

    /// <summary>Selects (subcortex_id, is_private, asker_is_member, version) of the item <c>@id</c> (<c>@artifactId</c>, <c>@number</c>).</summary>
    public static string LookupSql(string entity) => entity switch
    {
        EntityNames.Thread => $"SELECT {Access}, t.version FROM threads t JOIN subcortexes s ON s.id = t.subcortex_id WHERE t.id = @id",
        EntityNames.Comment => $"""
            SELECT {Access}, c.version FROM comments c JOIN threads t ON t.id = c.thread_id JOIN subcortexes s ON s.id = t.subcortex_id
            WHERE c.id = @id
            """,
        EntityNames.Observation => $"SELECT {Access}, o.version FROM observations o JOIN subcortexes s ON s.id = o.subcortex_id WHERE o.id = @id",
        // The feed version of an artifact version follows its state (ArtifactChanges): proposed 1, canon 2, superseded 3.
        _ => $"""
            SELECT {Access}, CASE v.state WHEN 'proposed' THEN 1 WHEN 'canon' THEN 2 ELSE 3 END::bigint AS version
            FROM artifact_versions v JOIN artifacts a ON a.id = v.artifact_id JOIN subcortexes s ON s.id = a.subcortex_id
            WHERE v.artifact_id = @artifactId AND v.number = @number
            """,
    };

    public sealed record Target(string SubcortexId, bool IsPrivate, bool AskerIsMember, long Version);
}
