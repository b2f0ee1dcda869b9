using Microsoft.Data.Sqlite;

namespace Cortex.LocalSearch;

/// <summary>
/// The bit-quantized sqlite-vec index (<c>search_vec</c>) that <see cref="VectorPath.SqliteVecBits"/> searches, kept in
/// step with <c>search_item</c> by triggers once created. Opt-in: the default in-memory path never reads it, and keeping
/// it cost a sync batch about as much as the full-text index; the benchmark and the tests comparing both paths add it.
/// </summary>
public static class SqliteVecIndex
{
    // The vec0 rows are written with VALUES under a WHEN clause: through INSERT ... SELECT the bit subtype of
    // vec_quantize_binary() is lost in UPDATE triggers and vec0 rejects the value.
    private const string Ddl = """
        CREATE VIRTUAL TABLE IF NOT EXISTS search_vec USING vec0 (
            embedding bit[384],
            subcortex TEXT,
            kind      TEXT,
            trust     TEXT,
            updated   INTEGER
        );

        CREATE TRIGGER IF NOT EXISTS search_item_insert_vector AFTER INSERT ON search_item
        WHEN new.quarantined = 0 AND new.embedding IS NOT NULL BEGIN
            INSERT INTO search_vec (rowid, embedding, subcortex, kind, trust, updated)
                VALUES (new.rowid, vec_quantize_binary(new.embedding), new.subcortex, new.kind, new.trust, new.updated);
        END;

        CREATE TRIGGER IF NOT EXISTS search_item_delete_vector AFTER DELETE ON search_item BEGIN
            DELETE FROM search_vec WHERE rowid = old.rowid;
        END;

        CREATE TRIGGER IF NOT EXISTS search_item_update_vector
        AFTER UPDATE OF embedding, quarantined, subcortex, kind, trust, updated ON search_item
        WHEN new.quarantined = 0 AND new.embedding IS NOT NULL BEGIN
            DELETE FROM search_vec WHERE rowid = old.rowid;
            INSERT INTO search_vec (rowid, embedding, subcortex, kind, trust, updated)
                VALUES (new.rowid, vec_quantize_binary(new.embedding), new.subcortex, new.kind, new.trust, new.updated);
        END;

        CREATE TRIGGER IF NOT EXISTS search_item_update_unindex_vector
        AFTER UPDATE OF embedding, quarantined ON search_item
        WHEN new.quarantined <> 0 OR new.embedding IS NULL BEGIN
            DELETE FROM search_vec WHERE rowid = old.rowid;
        END;
        """;

    /// <summary>Creates the index and its triggers if missing and fills it from the items already indexed. Needs
    /// sqlite-vec loaded and the <see cref="SearchSchema"/> in place.</summary>
    public static void EnsureCreated(SqliteConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using (var exists = connection.CreateCommand())
        {
            exists.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name = 'search_item_delete_vector'";
            if ((long)exists.ExecuteScalar()! == 1)
            {
                return;
            }
        }

        using var transaction = connection.BeginTransaction();
        using (var create = connection.CreateCommand())
        {
            create.Transaction = transaction;
            create.CommandText = Ddl + "\nDELETE FROM search_vec;";
            create.ExecuteNonQuery();
        }

        using (var fill = connection.CreateCommand())
        using (var insert = connection.CreateCommand())
        {
            fill.Transaction = transaction;
            fill.CommandText = "SELECT rowid, embedding, subcortex, kind, trust, updated FROM search_item WHERE quarantined = 0 AND embedding IS NOT NULL";
            insert.Transaction = transaction;
            insert.CommandText = """
                INSERT INTO search_vec (rowid, embedding, subcortex, kind, trust, updated)
                VALUES ($rowid, vec_quantize_binary($embedding), $subcortex, $kind, $trust, $updated)
                """;
            var values = new[] { "$rowid", "$embedding", "$subcortex", "$kind", "$trust", "$updated" }
                .Select(name => insert.Parameters.Add(new SqliteParameter(name, DBNull.Value))).ToArray();
            using var rows = fill.ExecuteReader();
            while (rows.Read())
            {
                for (var i = 0; i < values.Length; i++)
                {
                    values[i].Value = rows.GetValue(i);
                }

                insert.ExecuteNonQuery();
            }
        }

        transaction.Commit();
    }
}
