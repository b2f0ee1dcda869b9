using Microsoft.Data.Sqlite;

namespace Cortex.LocalSearch;

/// <summary>
/// Builds the indexes of a bulk load in one pass instead of row by row. While deferred, the search triggers are dropped:
/// only <c>search_item</c> is written. <see cref="Complete"/> rebuilds FTS5 from it (<c>rebuild</c>) and takes the
/// quarantined rows out again, recounts <c>search_stats</c>, and restarts the vector log past what any in-memory index
/// has seen, so each reloads in full (<see cref="QuantizedIndex"/>). Measured on 100k synced items: 0.4 s for the
/// rebuild against about 3 s spent in the FTS5 row triggers, and the log and counters another ~0.8 s. Keyword and
/// semantic search are incomplete until then, so only a load that nobody searches yet (an initial bootstrap) defers.
/// The flag is a row, so it survives a crash and the next completion still rebuilds.
/// </summary>
public static class SearchFtsDeferral
{
    public static bool IsDeferred(SqliteTransaction transaction) =>
        Scalar(transaction, "SELECT EXISTS (SELECT 1 FROM search_fts_deferred)") == 1;

    /// <summary>Stops keeping FTS5 in step; a no-op when already deferred. The triggers go: present, they would double
    /// the cost of every row written even though their WHEN clause keeps them from running.</summary>
    public static void Begin(SqliteTransaction transaction, DateTimeOffset now)
    {
        Execute(transaction, "INSERT OR IGNORE INTO search_fts_deferred (singleton, since_ms) VALUES (1, $now)", now.ToUnixTimeMilliseconds());
        Execute(transaction, SearchSchema.DropTriggersDdl);
    }

    /// <summary>Rebuilds the FTS5 index from <c>search_item</c> and keeps it in step again; a no-op when not deferred.</summary>
    public static void Complete(SqliteTransaction transaction)
    {
        if (!IsDeferred(transaction))
        {
            return;
        }

        // The row goes first: the rebuild reads every row, and the quarantine 'delete' must match what it indexed.
        Execute(transaction, "DELETE FROM search_fts_deferred");
        Execute(transaction, SearchSchema.TriggersDdl);
        Execute(transaction, "INSERT INTO search_fts (search_fts) VALUES ('rebuild')");
        Execute(transaction, """
            INSERT INTO search_fts (search_fts, rowid, title, body)
            SELECT 'delete', rowid, title, body FROM search_item WHERE quarantined = 1
            """);
        Execute(transaction, "UPDATE search_stats SET indexed_items = (SELECT count(*) FROM search_item WHERE quarantined = 0)");
        // One entry past the kept window: every reader's last position is now behind the log's first, so it reloads.
        Execute(transaction, """
            INSERT INTO search_vec_log (seq, item_rowid)
            VALUES (coalesce((SELECT max(seq) FROM search_vec_log), 0) + 50001, 0);
            DELETE FROM search_vec_log WHERE seq < (SELECT max(seq) FROM search_vec_log);
            """);
    }

    private static long Scalar(SqliteTransaction transaction, string sql)
    {
        using var command = Command(transaction, sql);
        return (long)command.ExecuteScalar()!;
    }

    private static void Execute(SqliteTransaction transaction, string sql, long? now = null)
    {
        using var command = Command(transaction, sql);
        if (now is { } value)
        {
            command.Parameters.AddWithValue("$now", value);
        }

        command.ExecuteNonQuery();
    }

    private static SqliteCommand Command(SqliteTransaction transaction, string sql)
    {
        var command = (transaction.Connection ?? throw new InvalidOperationException("The transaction has already ended.")).CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }
}
