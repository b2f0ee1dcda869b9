using Npgsql;

namespace Cortex.Sync.Bench;

/// <summary>
/// Writes the bootstrap corpus straight into Postgres in one transaction: 40% threads, 40% comments on them and 20%
/// observations, each with a 384-d vector in <c>embeddings</c> and one <c>created</c> change in the feed. Triggers are
/// off for the load (<c>session_replication_role = replica</c>) so no embedding jobs are queued, and the HNSW index is
/// dropped on this throwaway database: building it for 100k vectors takes minutes and sync never reads it. Vacuumed
/// afterwards, like the long-lived tables a replica bootstraps from.
/// </summary>
internal static class Seeder
{
    public static async Task<int> SeedAsync(NpgsqlDataSource dataSource, string subcortexId, string authorId, int items, string prefix)
    {
        var threads = items * 2 / 5;
        var comments = items * 2 / 5;
        var observations = items - threads - comments;
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await ExecuteAsync(connection, transaction, "SET LOCAL session_replication_role = replica");
        await ExecuteAsync(connection, transaction, "DROP INDEX IF EXISTS embeddings_hnsw");
        await ExecuteAsync(connection, transaction,
            """
            INSERT INTO threads (id, subcortex_id, title, kind, body, body_html, author_id)
            SELECT @prefix || 'T' || lpad(i::text, 9, '0'), @sub, 'Bench thread ' || i || ' about deploy rollbacks', 'discussion',
                   repeat('The rollout of service ' || i || ' failed its health check and was rolled back. ', 4),
                   '<p>' || repeat('The rollout of service ' || i || ' failed its health check and was rolled back. ', 4) || '</p>', @author
            FROM generate_series(1, @threads) AS i
            """,
            ("prefix", prefix), ("sub", subcortexId), ("author", authorId), ("threads", threads));
        await ExecuteAsync(connection, transaction,
            """
            INSERT INTO comments (id, thread_id, author_id, body, body_html)
            SELECT @prefix || 'C' || lpad(i::text, 9, '0'), @prefix || 'T' || lpad((1 + i % @threads)::text, 9, '0'), @author,
                   'Comment ' || i || ': the canary caught it; raise the error budget alert threshold.',
                   '<p>Comment ' || i || ': the canary caught it; raise the error budget alert threshold.</p>'
            FROM generate_series(1, @comments) AS i
            """,
            ("prefix", prefix), ("author", authorId), ("threads", threads), ("comments", comments));
        await ExecuteAsync(connection, transaction,
            """
            INSERT INTO observations (id, subcortex_id, author_id, client_id, content_hash, kind, source, body, attributes, occurred_at)
            SELECT @prefix || 'O' || lpad(i::text, 9, '0'), @sub, @author, 'bench-' || i, sha256(i::text::bytea), 'ci.run', 'bench',
                   'Build ' || i || ' finished in ' || (i % 600) || ' s on runner ' || (i % 17), jsonb_build_object('run', i), now()
            FROM generate_series(1, @observations) AS i
            """,
            ("prefix", prefix), ("sub", subcortexId), ("author", authorId), ("observations", observations));
        await ExecuteAsync(connection, transaction,
            """
            CREATE TEMP TABLE bench_items ON COMMIT DROP AS
            SELECT row_number() OVER (ORDER BY ord, id) AS n, entity, id FROM (
                SELECT 1 AS ord, 'thread' AS entity, id FROM threads WHERE id LIKE @prefix || 'T%'
                UNION ALL SELECT 2, 'comment', id FROM comments WHERE id LIKE @prefix || 'C%'
                UNION ALL SELECT 3, 'observation', id FROM observations WHERE id LIKE @prefix || 'O%') AS items
            """,
            ("prefix", prefix));
        // The correlated reference to i.id makes Postgres draw a fresh random vector per row.
        await ExecuteAsync(connection, transaction,
            """
            INSERT INTO embeddings (entity, entity_id, version, model, subcortex_id, embedding)
            SELECT i.entity, i.id, 1, 'bench-random', @sub,
                   (SELECT array_agg(random()::real - 0.5) FROM generate_series(1, 384) WHERE i.id IS NOT NULL)::vector
            FROM bench_items i
            """,
            ("sub", subcortexId));
        await ExecuteAsync(connection, transaction,
            """
            INSERT INTO changes (position, entity, entity_id, operation, version, subcortex_id)
            SELECT (SELECT position FROM feed_head WHERE id = 1) + i.n, i.entity, i.id, 'created', 1, @sub FROM bench_items i
            """,
            ("sub", subcortexId));
        await ExecuteAsync(connection, transaction, "UPDATE feed_head SET position = position + @count WHERE id = 1", ("count", (long)items));
        await transaction.CommitAsync();
        // A server's rows are old by the time a replica bootstraps from them: vacuumed, hint bits set, statistics known.
        // Without this the first reader of each fresh page (whichever run comes first) pays for setting its hint bits.
        await using (var vacuum = new NpgsqlCommand("VACUUM (ANALYZE) threads, comments, observations, embeddings, changes", connection) { CommandTimeout = 600 })
        {
            await vacuum.ExecuteNonQueryAsync();
        }

        return items;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction) { CommandTimeout = 600 };
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await command.ExecuteNonQueryAsync();
    }
}
