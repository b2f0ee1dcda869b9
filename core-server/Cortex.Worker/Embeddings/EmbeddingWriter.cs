using Dapper;
using Npgsql;

namespace Cortex.Worker.Embeddings;

/// <summary>
/// Upserts vectors and appends a feed row per written item in the caller's transaction, so replicas receive each
/// vector with its item (issue 6). A vector is never replaced by one of an older item version.
/// </summary>
internal static class EmbeddingWriter
{
    public const string ModelName = "all-MiniLM-L6-v2";

    /// <summary>
    /// Writes the vectors of <paramref name="items"/>; with <paramref name="force"/> (a reindex) vectors of the same
    /// version are rewritten too, otherwise only newer versions or another model's vectors are replaced.
    /// </summary>
    public static async Task<int> WriteAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string entity, IReadOnlyList<PendingItem> items,
        IReadOnlyList<float[]> vectors, bool force, CancellationToken cancellationToken)
    {
        var condition = force ? "e.version <= EXCLUDED.version" : "e.version < EXCLUDED.version OR e.model <> EXCLUDED.model";
        var written = (await connection.QueryAsync<PendingItem>(new CommandDefinition(
            $"""
            INSERT INTO embeddings AS e (entity, entity_id, version, model, subcortex_id, embedding)
            SELECT @entity, i.id, i.version, @model, i.subcortex_id, i.vector::vector
            FROM unnest(@ids, @versions, @subcortexIds, @vectors) AS i(id, version, subcortex_id, vector)
            ON CONFLICT (entity, entity_id) DO UPDATE
                SET version = EXCLUDED.version, model = EXCLUDED.model, subcortex_id = EXCLUDED.subcortex_id,
                    embedding = EXCLUDED.embedding, updated_at = now()
                WHERE {condition}
            RETURNING e.entity_id AS id, e.version, e.subcortex_id AS subcortexid, '' AS text
            """,
            new
            {
                entity,
                model = ModelName,
                ids = items.Select(i => i.Id).ToArray(),
                versions = items.Select(i => i.Version).ToArray(),
                subcortexIds = items.Select(i => i.SubcortexId).ToArray(),
                vectors = vectors.Select(VectorLiteral).ToArray(),
            },
            transaction,
            cancellationToken: cancellationToken))).AsList();
        if (written.Count > 0)
        {
            await AppendFeedAsync(connection, transaction, entity, written, cancellationToken);
        }

        return written.Count;
    }

    /// <summary>
    /// The same append as core-server's ChangeFeedWriter (the worker does not reference the server). Call it last
    /// before COMMIT: it holds the feed_head row lock, so positions become visible in commit order.
    /// </summary>
    private static Task AppendFeedAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string entity, List<PendingItem> items,
        CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            """
            WITH head AS (UPDATE feed_head SET position = position + @count WHERE id = 1 RETURNING position)
            INSERT INTO changes (position, entity, entity_id, operation, version, subcortex_id)
            SELECT head.position - @count + c.ord, @entity, c.id, 'updated', c.version, c.subcortex_id
            FROM head, unnest(@ids, @versions, @subcortexIds) WITH ORDINALITY AS c(id, version, subcortex_id, ord)
            """,
            new
            {
                count = (long)items.Count,
                entity,
                ids = items.Select(i => i.Id).ToArray(),
                versions = items.Select(i => i.Version).ToArray(),
                subcortexIds = items.Select(i => i.SubcortexId).ToArray(),
            },
            transaction,
            cancellationToken: cancellationToken));

    internal static string VectorLiteral(float[] vector) =>
        "[" + string.Join(',', vector.Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture))) + "]";
}
