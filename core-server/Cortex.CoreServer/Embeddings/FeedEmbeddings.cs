using Cortex.SharedModel.Feed;
using Cortex.SyncProtocol;
using Pgvector;
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

        var vectors = new Dictionary<(string Entity, string EntityId), (long Version, float[] Embedding)>(wanted.Count);
        await using (var command = new NpgsqlCommand(
            """
            SELECT e.entity, e.entity_id, e.version, e.embedding
            FROM embeddings e JOIN unnest(@entities, @ids) AS w(entity, id) ON e.entity = w.entity AND e.entity_id = w.id
            """,
            connection))
        {
            command.Parameters.AddWithValue("entities", wanted.Select(c => c.Entity).ToArray());
            command.Parameters.AddWithValue("ids", wanted.Select(c => c.EntityId).ToArray());
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                vectors[(reader.GetString(0), reader.GetString(1))] = (reader.GetInt64(2), reader.GetFieldValue<Vector>(3).ToArray());
            }
        }

        return changes.Select(change =>
            change.Operation == SyncProtocol.ChangeOperation.Upsert
            && vectors.TryGetValue((change.Entity, change.EntityId), out var stored) && stored.Version >= change.Version
                ? change with { Embedding = stored.Embedding }
                : change).ToList();
    }
}
