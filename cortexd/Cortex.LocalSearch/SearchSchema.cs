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
    public const int Version = 4;

    public const string Ddl = """
        CREATE TABLE IF NOT EXISTS search_item (
            rowid         INTEGER PRIMARY KEY,
            id            TEXT    NOT NULL UNIQUE,
            kind          TEXT    NOT NULL CHECK (kind IN ('thread', 'comment', 'observation', 'artifact', 'draft', 'task')),
            subcortex     TEXT    NOT NULL,
            parent_id     TEXT,
            title         TEXT    NOT NULL,
            body          TEXT    NOT NULL,
            trust         TEXT    NOT NULL CHECK (trust IN ('canon', 'accepted', 'reviewed', 'comment', 'observation', 'draft')),
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

        -- While this table holds its row, no trigger below runs: an initial bootstrap fills search_item alone, and when it
        -- catches up SearchFtsDeferral builds the FTS5 index in one pass, recounts search_stats and restarts the vector
        -- log (readers reload), several times cheaper than row by row.
        CREATE TABLE IF NOT EXISTS search_fts_deferred (
            singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
            since_ms  INTEGER NOT NULL
        );

        -- Schemas 2 and 3 kept some of this in step during a deferral; the triggers are created anew with the check.
        DROP TRIGGER IF EXISTS search_item_insert;
        DROP TRIGGER IF EXISTS search_item_update_text;
        DROP TRIGGER IF EXISTS search_item_log_vector_change;

        CREATE TRIGGER search_item_insert AFTER INSERT ON search_item
        WHEN NOT EXISTS (SELECT 1 FROM search_fts_deferred) BEGIN
            INSERT INTO search_fts (rowid, title, body)
                SELECT new.rowid, new.title, new.body WHERE new.quarantined = 0;
            UPDATE search_stats SET indexed_items = indexed_items + 1 WHERE new.quarantined = 0;
            INSERT INTO search_vec_log (item_rowid) VALUES (new.rowid);
            DELETE FROM search_vec_log WHERE seq <= (SELECT max(seq) FROM search_vec_log) - 50000;
        END;

        -- Schema 1 kept a vec0 copy of every vector in step (search_vec); the default vector path never reads it, so
        -- replicas drop it (SqliteVecIndex adds it back where the other path is wanted).
        DROP TRIGGER IF EXISTS search_item_insert_vector;
        DROP TRIGGER IF EXISTS search_item_update_vector;
        DROP TRIGGER IF EXISTS search_item_update_unindex_vector;
        DROP TRIGGER IF EXISTS search_item_delete_vector;
        DROP TRIGGER IF EXISTS search_item_delete;
        DROP TABLE IF EXISTS search_vec;

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

        -- A thread's new title is copied onto its comments (WHERE parent_id = ...); without this index every applied
        -- thread scanned the whole table, which dominated bootstrap time.
        CREATE INDEX IF NOT EXISTS search_item_parent ON search_item (parent_id, kind);

        -- Written last: it marks a complete schema of this version.
        CREATE TABLE IF NOT EXISTS search_schema (singleton INTEGER PRIMARY KEY CHECK (singleton = 1), version INTEGER NOT NULL);
        INSERT OR REPLACE INTO search_schema (singleton, version) VALUES (1, 4);
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
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = Ddl;
        command.ExecuteNonQuery();
        transaction.Commit();
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
