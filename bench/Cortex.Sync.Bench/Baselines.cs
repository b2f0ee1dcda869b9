using System.Diagnostics;
using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Cortex.Sync.Bench;

/// <summary>The ceilings a bootstrap is compared with, measured on the same rows in the same run.</summary>
internal static class Baselines
{
    public sealed record Row(string Id, string Json, byte[] Embedding);

    /// <summary>Reads every seeded item's JSON and vector from Postgres on one connection: the least the server must do.</summary>
    public static async Task<(List<Row> Rows, TimeSpan Elapsed)> ReadPostgresAsync(NpgsqlDataSource dataSource, string prefix)
    {
        var rows = new List<Row>();
        var clock = Stopwatch.StartNew();
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var command = new NpgsqlCommand(
            """
            SELECT t.id, (to_jsonb(t) - 'search')::text, e.embedding FROM threads t JOIN embeddings e ON e.entity = 'thread' AND e.entity_id = t.id WHERE t.id LIKE @p
            UNION ALL
            SELECT c.id, (to_jsonb(c) - 'search')::text, e.embedding FROM comments c JOIN embeddings e ON e.entity = 'comment' AND e.entity_id = c.id WHERE c.id LIKE @p
            UNION ALL
            SELECT o.id, (to_jsonb(o) - 'search')::text, e.embedding FROM observations o JOIN embeddings e ON e.entity = 'observation' AND e.entity_id = o.id WHERE o.id LIKE @p
            """, connection) { CommandTimeout = 600 };
        command.Parameters.AddWithValue("p", prefix + "%");
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            // pgvector's binary format, the cheapest way to read a vector (the server reads it so too).
            var vector = reader.GetFieldValue<Pgvector.Vector>(2).ToArray();
            rows.Add(new Row(reader.GetString(0), reader.GetString(1), MemoryMarshal.AsBytes(vector.AsSpan()).ToArray()));
        }

        return (rows, clock.Elapsed);
    }

    /// <summary>Inserts the rows into a fresh SQLite file (WAL) with one prepared statement in one transaction.</summary>
    public static TimeSpan InsertSqlite(IReadOnlyList<Row> rows, string path)
    {
        var clock = Stopwatch.StartNew();
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; CREATE TABLE items (id TEXT PRIMARY KEY, json TEXT NOT NULL, embedding BLOB);";
            pragma.ExecuteNonQuery();
        }

        using var transaction = connection.BeginTransaction();
        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = "INSERT INTO items (id, json, embedding) VALUES ($id, $json, $embedding)";
        var id = insert.Parameters.Add("$id", SqliteType.Text);
        var json = insert.Parameters.Add("$json", SqliteType.Text);
        var embedding = insert.Parameters.Add("$embedding", SqliteType.Blob);
        insert.Prepare();
        foreach (var row in rows)
        {
            id.Value = row.Id;
            json.Value = row.Json;
            embedding.Value = row.Embedding;
            insert.ExecuteNonQuery();
        }

        transaction.Commit();
        return clock.Elapsed;
    }
}
