using System.Text.Json;
using Cortex.CoreServer.Artifacts;
using Cortex.CoreServer.Database;
using Cortex.CoreServer.Drafts;
using Cortex.CoreServer.Embeddings;
using Cortex.CoreServer.Notifications;
using Cortex.CoreServer.Observations;
using Cortex.CoreServer.Principals;
using Cortex.CoreServer.Tasks;
using Cortex.SharedModel.Content;
using Cortex.SharedModel.Feed;
using Cortex.SharedModel.Principals;
using Dapper;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Npgsql;
using FeedOperation = Cortex.SharedModel.Feed.ChangeOperation;
using WireOperation = Cortex.SyncProtocol.ChangeOperation;

namespace Cortex.CoreServer.Sync;

/// <summary>
/// Turns feed rows into wire changes carrying each entity's current state in the REST API's JSON shape. The state is
/// read after the feed page, so it may be newer than the change (never older); an entity gone since becomes a delete.
/// Entities without a REST shape here (keys, memberships) travel as their id only, so the cursor can still move.
/// </summary>
internal sealed class FeedPayloads([FromKeyedServices(DatabaseExtensions.SyncReads)] NpgsqlDataSource dataSource, IOptions<JsonOptions> json)
{
    private readonly JsonSerializerOptions _json = json.Value.SerializerOptions;

    public async Task<List<SyncProtocol.EntityChange>> LoadAsync(IReadOnlyList<Change> changes, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var states = new Dictionary<(string, string), (long Version, byte[] Json)>();
        await LoadAsync<CortexThread>(connection, changes, EntityNames.Thread,
            "SELECT id, subcortex_id, title, kind, body, body_html, author_id, version, created_at, updated_at FROM threads WHERE id = ANY(@ids)",
            t => (t.Id, t.Version), states, cancellationToken);
        await LoadAsync<Comment>(connection, changes, EntityNames.Comment,
            "SELECT id, thread_id, author_id, body, body_html, version, created_at, updated_at FROM comments WHERE id = ANY(@ids)",
            c => (c.Id, c.Version), states, cancellationToken);
        await LoadAsync<Subcortex>(connection, changes, EntityNames.Subcortex,
            "SELECT id, slug, name, description, state, is_private, merged_into_id, created_by, version, created_at, updated_at FROM subcortexes WHERE id = ANY(@ids)",
            s => (s.Id, s.Version), states, cancellationToken);
        await LoadAsync<Draft>(connection, changes, EntityNames.Draft,
            """
            SELECT id, kind, subcortex_id, thread_id, artifact_id, author_id, title, thread_kind, body, evidence, state, reason,
                   reviewed_by, reviewed_at, approval_latency_ms, materialized_id, version, created_at, updated_at
            FROM drafts WHERE id = ANY(@ids)
            """,
            d => (d.Id, d.Version), states, cancellationToken);
        await LoadAsync<Principal>(connection, changes, EntityNames.Principal,
            $"SELECT {PrincipalStore.Columns} FROM principals WHERE id = ANY(@ids)",
            p => (p.Id, p.Version), states, cancellationToken);
        await LoadAsync<CortexTask>(connection, changes, "task",
            $"SELECT {TaskStore.Columns} FROM tasks t WHERE t.id = ANY(@ids)", t => (t.Id, t.Version), states, cancellationToken);
        await LoadAsync<Notification>(connection, changes, "notification",
            $"SELECT {NotificationStore.Columns} FROM notifications n WHERE n.id = ANY(@ids)", n => (n.Id, n.Version), states, cancellationToken);
        await LoadAsync<Artifact>(connection, changes, EntityNames.Artifact,
            """
            SELECT id, subcortex_id, title, kind, state, superseded_by, canon_version, latest_version, created_by, version, created_at, updated_at
            FROM artifacts WHERE id = ANY(@ids)
            """,
            a => (a.Id, a.Version), states, cancellationToken);
        await LoadVersionsAsync(connection, changes, states, cancellationToken);
        var observationIds = Ids(changes, EntityNames.Observation);
        if (observationIds.Length > 0)
        {
            foreach (var observation in await ObservationStore.ReadManyAsync(connection, observationIds, cancellationToken))
            {
                states[(EntityNames.Observation, observation.Id)] = (observation.Version, JsonSerializer.SerializeToUtf8Bytes(observation, _json));
            }
        }

        var result = new List<SyncProtocol.EntityChange>(changes.Count);
        foreach (var change in changes)
        {
            var hasShape = change.Entity is EntityNames.Thread or EntityNames.Comment or EntityNames.Subcortex
                or EntityNames.Principal or EntityNames.Observation or EntityNames.Draft or EntityNames.Artifact
                or EntityNames.ArtifactVersion or "task" or "notification";
            var found = states.TryGetValue((change.Entity, change.EntityId), out var state);
            var deleted = change.Operation == FeedOperation.Deleted || (hasShape && !found);
            result.Add(new SyncProtocol.EntityChange
            {
                Position = change.Position,
                Entity = change.Entity,
                EntityId = change.EntityId,
                Operation = deleted ? WireOperation.Delete : WireOperation.Upsert,
                Version = found ? Math.Max(state.Version, change.Version) : change.Version,
                SubcortexId = change.SubcortexId,
                Payload = deleted ? null : found ? state.Json : JsonSerializer.SerializeToUtf8Bytes(new { id = change.EntityId }, _json),
                CommittedAtUnixMs = change.CommittedAt.ToUnixTimeMilliseconds(),
            });
        }

        // The worker's vectors travel with the items, so local search ranks with the server's embeddings (issue 5).
        return await FeedEmbeddings.AttachAsync(connection, result, cancellationToken);
    }

    private async Task LoadAsync<T>(
        NpgsqlConnection connection,
        IReadOnlyList<Change> changes,
        string entity,
        string sql,
        Func<T, (string Id, long Version)> key,
        Dictionary<(string, string), (long, byte[])> states,
        CancellationToken cancellationToken)
    {
        var ids = Ids(changes, entity);
        if (ids.Length == 0)
        {
            return;
        }

        foreach (var row in await connection.QueryAsync<T>(new CommandDefinition(sql, new { ids }, cancellationToken: cancellationToken)))
        {
            var (id, version) = key(row);
            states[(entity, id)] = (version, JsonSerializer.SerializeToUtf8Bytes(row, _json));
        }
    }

    /// <summary>Versions travel as <c>{artifactId}:{number}</c> (see <c>ArtifactChanges</c>); their feed version follows their state.</summary>
    private async Task LoadVersionsAsync(
        NpgsqlConnection connection, IReadOnlyList<Change> changes, Dictionary<(string, string), (long, byte[])> states, CancellationToken cancellationToken)
    {
        var keys = Ids(changes, EntityNames.ArtifactVersion)
            .Select(id => (Id: id, Separator: id.LastIndexOf(':')))
            .Where(k => k.Separator > 0 && int.TryParse(k.Id.AsSpan(k.Separator + 1), out _))
            .Select(k => (ArtifactId: k.Id[..k.Separator], Number: int.Parse(k.Id.AsSpan(k.Separator + 1), System.Globalization.CultureInfo.InvariantCulture)))
            .ToList();
        if (keys.Count == 0)
        {
            return;
        }

        var versions = await connection.QueryAsync<ArtifactVersion>(new CommandDefinition(
            """
            SELECT v.artifact_id, v.number, v.body, v.body_html, v.evidence, v.based_on, v.author_id, v.state, v.accepted_by, v.accepted_at,
                   v.draft_id, v.created_at, v.revision, v.editors
            FROM artifact_versions v JOIN unnest(@artifactIds, @numbers) AS w(artifact_id, number)
                ON v.artifact_id = w.artifact_id AND v.number = w.number
            """,
            new { artifactIds = keys.Select(k => k.ArtifactId).ToArray(), numbers = keys.Select(k => k.Number).ToArray() },
            cancellationToken: cancellationToken));
        foreach (var version in versions)
        {
            states[(EntityNames.ArtifactVersion, $"{version.ArtifactId}:{version.Number}")] =
                ((long)version.State + 1, JsonSerializer.SerializeToUtf8Bytes(version, _json));
        }
    }

    private static string[] Ids(IReadOnlyList<Change> changes, string entity) =>
        [.. changes.Where(c => c.Entity == entity && c.Operation != FeedOperation.Deleted).Select(c => c.EntityId).Distinct()];
}
