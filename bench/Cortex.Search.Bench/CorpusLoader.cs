using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Diagnostics;
using Npgsql;
using NpgsqlTypes;

namespace Cortex.Search.Bench;

/// <summary>
/// Loads the synthetic items as observations with their vectors by COPY (no worker involved), then builds the HNSW
/// index the way the admin reindex does (maintenance_work_mem 1GB), and reports how long the build took.
/// </summary>
internal static class CorpusLoader
{
    public static async Task<TimeSpan> LoadAsync(
        NpgsqlDataSource dataSource, SyntheticCorpus corpus, string subcortexId, string authorId, int items, int seed)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await Execute(connection, "DROP INDEX IF EXISTS embeddings_hnsw");
        var random = new Random(seed);
        var vectors = new List<(string Id, string Vector)>(items);
        await using (var observations = await connection.BeginBinaryImportAsync(
            "COPY observations (id, subcortex_id, author_id, client_id, content_hash, kind, source, body, occurred_at) FROM STDIN (FORMAT BINARY)"))
        {
            for (var i = 0; i < items; i++)
            {
                var (body, vector) = corpus.Item(i, random);
                var id = "BENCH" + i.ToString("D21", CultureInfo.InvariantCulture);
                await observations.StartRowAsync();
                await observations.WriteAsync(id);
                await observations.WriteAsync(subcortexId);
                await observations.WriteAsync(authorId);
                await observations.WriteAsync(id);
                await observations.WriteAsync(SHA256.HashData(Encoding.UTF8.GetBytes(body)), NpgsqlDbType.Bytea);
                await observations.WriteAsync("bench.note");
                await observations.WriteAsync("bench");
                await observations.WriteAsync(body);
                await observations.WriteAsync(DateTime.UtcNow, NpgsqlDbType.TimestampTz);
                vectors.Add((id, "[" + string.Join(',', vector.Select(v => v.ToString("R", CultureInfo.InvariantCulture))) + "]"));
            }

            await observations.CompleteAsync();
        }

        await using (var embeddings = await connection.BeginTextImportAsync(
            "COPY embeddings (entity, entity_id, version, model, subcortex_id, embedding) FROM STDIN"))
        {
            foreach (var (id, vector) in vectors)
            {
                await embeddings.WriteLineAsync($"observation\t{id}\t1\tall-MiniLM-L6-v2\t{subcortexId}\t{vector}");
            }
        }

        // Rows written straight into observations get their full-text vector from the server's indexer after a burst
        // (migration 0900); a corpus that has settled has them, so fill them now rather than measure the catch-up.
        await Execute(connection, "UPDATE observations SET search = to_tsvector('english', kind || ' ' || body) WHERE search IS NULL");
        await Execute(connection, "ANALYZE observations; ANALYZE embeddings");
        await Execute(connection, "SET maintenance_work_mem = '1GB'");
        var build = Stopwatch.StartNew();
        await Execute(connection, "CREATE INDEX embeddings_hnsw ON embeddings USING hnsw (embedding vector_cosine_ops)");
        build.Stop();
        await Execute(connection, "RESET maintenance_work_mem");
        return build.Elapsed;
    }

    private static async Task Execute(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync();
    }
}
