using Cortex.SharedModel.Feed;
using Cortex.SyncProtocol;
using Dapper;
using Npgsql;

namespace Cortex.CoreServer.Embeddings;

/// <summary>
/// Sets <see cref="EntityChange.Embedding"/> on the searchable entities of a feed page from the stored vectors. A vector
/// is attached only when it was computed from the state the change carries (or a newer one), so a replica never pairs
/// new text with an old vector; the worker re-emits the item when the fresh vector lands.
/// </summary>
internal static class FeedEmbeddings
{
    private static readonly HashSet<string> Searchable = new(StringComparer.Ordinal)
    {
        EntityNames.Thread, EntityNames.Comment, EntityNames.Observation, EntityNames.Artifact,
    };

    public static async Task<List<EntityChange>> AttachAsync(
        NpgsqlConnection connection, List<EntityChange> changes, CancellationToken cancellationToken = default)
    {
        // One lookup per entity even when a page holds several changes of it; (entity, entity_id) is the table's key,
        // so no DISTINCT over 1.5 kB vectors is needed.
        var wanted = changes
            .Where(c => c.Operation == SyncProtocol.ChangeOperation.Upsert && Searchable.Contains(c.Entity))
            .DistinctBy(c => (c.Entity, c.EntityId))
            .ToList();
        if (wanted.Count == 0)
        {
            return changes;
        }

        var rows = await connection.QueryAsync<(string Entity, string EntityId, long Version, float[] Embedding)>(new CommandDefinition(
            """
            SELECT e.entity, e.entity_id, e.version, e.embedding::real[]
            FROM embeddings e JOIN unnest(@entities, @ids) AS w(entity, id) ON e.entity = w.entity AND e.entity_id = w.id
            """,
            new { entities = wanted.Select(c => c.Entity).ToArray(), ids = wanted.Select(c => c.EntityId).ToArray() },
            cancellationToken: cancellationToken));
        var vectors = rows.ToDictionary(r => (r.Entity, r.EntityId), r => (r.Version, r.Embedding));
        return changes.Select(change =>
            change.Operation == SyncProtocol.ChangeOperation.Upsert
            && vectors.TryGetValue((change.Entity, change.EntityId), out var stored) && stored.Version >= change.Version
                ? change with { Embedding = stored.Embedding }
                : change).ToList();
    }
}
