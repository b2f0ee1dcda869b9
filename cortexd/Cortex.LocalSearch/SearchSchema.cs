using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Cortex.LocalSearch;

/// <summary>
/// The replica's search tables. <c>search_item</c> is the source of truth; triggers keep the FTS5 index
/// (<c>search_fts</c>), the log the in-memory vector index replays (<c>search_vec_log</c>) and the document count
/// (<c>search_stats</c>) in step inside the writer's transaction. Quarantined rows are in no index. The sqlite-vec
/// index of the other vector path is opt-in (<see cref="SqliteVecIndex"/>).
/// </summary>
public static class SearchSchema
{
    public const int Version = 5;

    // OR chains, not IN lists: SQLite checks an IN list of constants through a temporary table built for each row
    // written, 4 µs a row (a fifth of a bootstrap's search_item write). Schema 4 and older replicas are rewritten.
    private const string KindCheck =
        "kind = 'thread' OR kind = 'comment' OR kind = 'observation' OR kind = 'artifact' OR kind = 'draft' OR kind = 'task'";

    private const string TrustCheck =
        "trust = 'canon' OR trust = 'accepted' OR trust = 'reviewed' OR trust = 'comment' OR trust = 'observation' OR trust = 'draft'";

    private const string InListKindCheck = "kind IN ('thread', 'comment', 'observation', 'artifact', 'draft', 'task')";

    private const string InListTrustCheck = "trust IN ('canon', 'accepted', 'reviewed', 'comment', 'observation', 'draft')";

    public const string Ddl = $$"""
        CREATE TABLE IF NOT EXISTS search_item (
            rowid         INTEGER PRIMARY KEY,
            id            TEXT    NOT NULL UNIQUE,
            kind          TEXT    NOT NULL CHECK ({{KindCheck}}),
            subcortex     TEXT    NOT NULL,
            parent_id     TEXT,
            title         TEXT    NOT NULL,
            body          TEXT    NOT NULL,
            trust         TEXT    NOT NULL CHECK ({{TrustCheck}}),
            stale         INTEGER NOT NULL DEFAULT 0,
            quarantined   INTEGER NOT NULL DEFAULT 0,
            contradiction INTEGER NOT NULL DEFAULT 0,
            pending       INTEGER NOT NULL DEFAULT 0,
            review_due    INTEGER,
            updated       INTEGER NOT NULL,
            embedding     BLOB CHECK (embedding IS NULL OR length(embedding) = 1536)
        );
        CREATE INDEX IF NOT EXISTS search_item_subcortex ON search_item (subcortex);
        CREATE INDEX IF NOT EXISTS search_item_pending ON search_item (pending) WHERE pending = 1;

        CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5 (
            title, body,
            content = 'search_item', content_rowid = 'rowid',
            tokenize = "unicode61 remove_diacritics 2 tokenchars '_'"
        );

        CREATE VIRTUAL TABLE IF NOT EXISTS search_fts_vocab USING fts5vocab (search_fts, row);

        -- Every change that can alter the vector index, in order; in-memory indexes (QuantizedIndex) replay it to
        -- stay current without reloading. Kept to the last 50,000 entries; a reader that fell further behind reloads.
        CREATE TABLE IF NOT EXISTS search_vec_log (
            seq        INTEGER PRIMARY KEY AUTOINCREMENT,
            item_rowid INTEGER NOT NULL
        );

        CREATE TABLE IF NOT EXISTS search_stats (
            singleton     INTEGER PRIMARY KEY CHECK (singleton = 1),
            indexed_items INTEGER NOT NULL
        );
        INSERT OR IGNORE INTO search_stats (singleton, indexed_items) VALUES (1, 0);

        -- While this table holds its row, the triggers of TriggersDdl are dropped (and would do nothing: each checks it):
        -- an initial bootstrap fills search_item alone, and when it catches up SearchFtsDeferral creates them again,
        -- builds the FTS5 index in one pass, recounts search_stats and restarts the vector log (readers reload).
        CREATE TABLE IF NOT EXISTS search_fts_deferred (
            singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
            since_ms  INTEGER NOT NULL
        );

        -- A thread's new title is copied onto its comments (WHERE parent_id = ...); without this index every applied
        -- thread scanned the whole table, which dominated bootstrap time.
        CREATE INDEX IF NOT EXISTS search_item_parent ON search_item (parent_id, kind);

        -- Schema 1 kept a vec0 copy of every vector in step (search_vec); the default vector path never reads it, so
        -- replicas drop it (SqliteVecIndex adds it back where the other path is wanted).
        DROP TRIGGER IF EXISTS search_item_insert_vector;
        DROP TRIGGER IF EXISTS search_item_update_vector;
        DROP TRIGGER IF EXISTS search_item_update_unindex_vector;
        DROP TRIGGER IF EXISTS search_item_delete_vector;
        DROP TABLE IF EXISTS search_vec;

        """ + TriggersDdl + """

        -- Written last: it marks a complete schema of this version.
        CREATE TABLE IF NOT EXISTS search_schema (singleton INTEGER PRIMARY KEY CHECK (singleton = 1), version INTEGER NOT NULL);
        INSERT OR REPLACE INTO search_schema (singleton, version) VALUES (1, 5);
        """;

    /// <summary>
    /// The triggers that keep FTS5, the vector log and the counters in step with <c>search_item</c>. A row write costs
    /// about twice as much with them present, even when their WHEN clause says not to run, so a deferred bulk load
    /// drops them (<see cref="DropTriggersDdl"/>) and its completion creates them again.
    /// </summary>
    internal const string TriggersDdl = DropTriggersDdl + """

        CREATE TRIGGER search_item_insert AFTER INSERT ON search_item
        WHEN NOT EXISTS (SELECT 1 FROM search_fts_deferred) BEGIN
            INSERT INTO search_fts (rowid, title, body)
                SELECT new.rowid, new.title, new.body WHERE new.quarantined = 0;
            UPDATE search_stats SET indexed_items = indexed_items + 1 WHERE new.quarantined = 0;
            INSERT INTO search_vec_log (item_rowid) VALUES (new.rowid);
            DELETE FROM search_vec_log WHERE seq <= (SELECT max(seq) FROM search_vec_log) - 50000;
        END;

        CREATE TRIGGER search_item_delete AFTER DELETE ON search_item
        WHEN NOT EXISTS (SELECT 1 FROM search_fts_deferred) BEGIN
            INSERT INTO search_fts (search_fts, rowid, title, body)
                SELECT 'delete', old.rowid, old.title, old.body WHERE old.quarantined = 0;
            UPDATE search_stats SET indexed_items = indexed_items - 1 WHERE old.quarantined = 0;
            INSERT INTO search_vec_log (item_rowid) VALUES (old.rowid);
        END;

        CREATE TRIGGER search_item_log_vector_change
        AFTER UPDATE OF embedding, quarantined, subcortex, kind, trust, updated ON search_item
        WHEN NOT EXISTS (SELECT 1 FROM search_fts_deferred) BEGIN
            INSERT INTO search_vec_log (item_rowid) VALUES (new.rowid);
            DELETE FROM search_vec_log WHERE seq <= (SELECT max(seq) FROM search_vec_log) - 50000;
        END;

        CREATE TRIGGER search_item_update_text AFTER UPDATE OF title, body, quarantined ON search_item
        WHEN NOT EXISTS (SELECT 1 FROM search_fts_deferred) BEGIN
            INSERT INTO search_fts (search_fts, rowid, title, body)
                SELECT 'delete', old.rowid, old.title, old.body WHERE old.quarantined = 0;
            INSERT INTO search_fts (rowid, title, body)
                SELECT new.rowid, new.title, new.body WHERE new.quarantined = 0;
            UPDATE search_stats SET indexed_items = indexed_items + old.quarantined - new.quarantined
                WHERE old.quarantined <> new.quarantined;
        END;
        """;

    internal const string DropTriggersDdl = """
        DROP TRIGGER IF EXISTS search_item_insert;
        DROP TRIGGER IF EXISTS search_item_delete;
        DROP TRIGGER IF EXISTS search_item_log_vector_change;
        DROP TRIGGER IF EXISTS search_item_update_text;
        """;

    /// <summary>Creates the tables, indexes and triggers if they are missing. Needs sqlite-vec loaded.</summary>
    public static void EnsureCreated(SqliteConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        // Readers open connections all the time; taking the write lock for a no-op would make every search wait
        // behind a sync batch. The version row is written last, so older or half-created schemas get the DDL again
        // (it is idempotent).
        if (InstalledVersion(connection) >= Version)
        {
            return;
        }

        using var transaction = connection.BeginTransaction();
        RewriteInListChecks(transaction);
        Execute(transaction, Ddl);
        if (SearchFtsDeferral.IsDeferred(transaction))
        {
            Execute(transaction, DropTriggersDdl);
        }

        transaction.Commit();
    }

    /// <summary>
    /// Schema 4 and older checked kind and trust with IN lists. The table's definition is rewritten in place with the
    /// equivalent OR chains, as SQLite documents for changing a CHECK constraint (writable_schema, then a new schema
    /// version so every connection re-reads it): the rows already satisfy it and the file format does not change.
    /// </summary>
    private static void RewriteInListChecks(SqliteTransaction transaction)
    {
        if (Scalar(transaction, "SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'search_item'") is not string sql
            || !sql.Contains(InListKindCheck, StringComparison.Ordinal) && !sql.Contains(InListTrustCheck, StringComparison.Ordinal))
        {
            return;
        }

        var rewritten = sql.Replace(InListKindCheck, KindCheck, StringComparison.Ordinal).Replace(InListTrustCheck, TrustCheck, StringComparison.Ordinal);
        var version = Convert.ToInt64(Scalar(transaction, "PRAGMA schema_version"), CultureInfo.InvariantCulture);
        Execute(transaction, "PRAGMA writable_schema = ON");
        try
        {
            using var update = Command(transaction, "UPDATE sqlite_schema SET sql = $sql WHERE type = 'table' AND name = 'search_item'");
            update.Parameters.AddWithValue("$sql", rewritten);
            update.ExecuteNonQuery();
            Execute(transaction, $"PRAGMA schema_version = {version + 1}");
        }
        finally
        {
            Execute(transaction, "PRAGMA writable_schema = OFF");
        }
    }

    private static object? Scalar(SqliteTransaction transaction, string sql)
    {
        using var command = Command(transaction, sql);
        return command.ExecuteScalar();
    }

    private static void Execute(SqliteTransaction transaction, string sql)
    {
        using var command = Command(transaction, sql);
        command.ExecuteNonQuery();
    }

    private static SqliteCommand Command(SqliteTransaction transaction, string sql)
    {
        var command = transaction.Connection!.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    private static long InstalledVersion(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'search_schema'";
        if ((long)command.ExecuteScalar()! == 0)
        {
            return 0;
        }

        command.CommandText = "SELECT coalesce((SELECT version FROM search_schema), 0)";
        return (long)command.ExecuteScalar()!;
    }
}
