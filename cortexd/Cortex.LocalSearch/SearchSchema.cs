using Microsoft.Data.Sqlite;

namespace Cortex.LocalSearch;

/// <summary>
/// The replica's search tables. <c>search_item</c> is the source of truth; triggers keep the FTS5 index
/// (<c>search_fts</c>), the bit-quantized sqlite-vec index (<c>search_vec</c>) and the document count
/// (<c>search_stats</c>) in step inside the writer's transaction. Quarantined rows are in neither index.
/// </summary>
public static class SearchSchema
{
    public const int Version = 1;

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

        CREATE VIRTUAL TABLE IF NOT EXISTS search_vec USING vec0 (
            embedding bit[384],
            subcortex TEXT,
            kind      TEXT,
            trust     TEXT,
            updated   INTEGER
        );

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

        CREATE TRIGGER IF NOT EXISTS search_item_insert AFTER INSERT ON search_item BEGIN
            INSERT INTO search_fts (rowid, title, body)
                SELECT new.rowid, new.title, new.body WHERE new.quarantined = 0;
            UPDATE search_stats SET indexed_items = indexed_items + 1 WHERE new.quarantined = 0;
            INSERT INTO search_vec_log (item_rowid) VALUES (new.rowid);
            DELETE FROM search_vec_log WHERE seq <= (SELECT max(seq) FROM search_vec_log) - 50000;
        END;

        -- The vec0 rows are written with VALUES under a WHEN clause: through INSERT ... SELECT the bit subtype
        -- of vec_quantize_binary() is lost in UPDATE triggers and vec0 rejects the value.
        CREATE TRIGGER IF NOT EXISTS search_item_insert_vector AFTER INSERT ON search_item
        WHEN new.quarantined = 0 AND new.embedding IS NOT NULL BEGIN
            INSERT INTO search_vec (rowid, embedding, subcortex, kind, trust, updated)
                VALUES (new.rowid, vec_quantize_binary(new.embedding), new.subcortex, new.kind, new.trust, new.updated);
        END;

        CREATE TRIGGER IF NOT EXISTS search_item_delete AFTER DELETE ON search_item BEGIN
            INSERT INTO search_fts (search_fts, rowid, title, body)
                SELECT 'delete', old.rowid, old.title, old.body WHERE old.quarantined = 0;
            UPDATE search_stats SET indexed_items = indexed_items - 1 WHERE old.quarantined = 0;
            DELETE FROM search_vec WHERE rowid = old.rowid;
            INSERT INTO search_vec_log (item_rowid) VALUES (old.rowid);
        END;

        CREATE TRIGGER IF NOT EXISTS search_item_log_vector_change
        AFTER UPDATE OF embedding, quarantined, subcortex, kind, trust, updated ON search_item BEGIN
            INSERT INTO search_vec_log (item_rowid) VALUES (new.rowid);
            DELETE FROM search_vec_log WHERE seq <= (SELECT max(seq) FROM search_vec_log) - 50000;
        END;

        CREATE TRIGGER IF NOT EXISTS search_item_update_text AFTER UPDATE OF title, body, quarantined ON search_item BEGIN
            INSERT INTO search_fts (search_fts, rowid, title, body)
                SELECT 'delete', old.rowid, old.title, old.body WHERE old.quarantined = 0;
            INSERT INTO search_fts (rowid, title, body)
                SELECT new.rowid, new.title, new.body WHERE new.quarantined = 0;
            UPDATE search_stats SET indexed_items = indexed_items + old.quarantined - new.quarantined
                WHERE old.quarantined <> new.quarantined;
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

        -- A thread's new title is copied onto its comments (WHERE parent_id = ...); without this index every applied
        -- thread scanned the whole table, which dominated bootstrap time. Created last: it marks a complete schema.
        CREATE INDEX IF NOT EXISTS search_item_parent ON search_item (parent_id, kind);
        """;

    /// <summary>Creates the tables, indexes and triggers if they are missing. Needs sqlite-vec loaded.</summary>
    public static void EnsureCreated(SqliteConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        // Readers open connections all the time; taking the write lock for a no-op would make every search wait
        // behind a sync batch. The last object the DDL creates marks a complete schema (older replicas lack it and
        // get the rest of the DDL, which is idempotent).
        using (var exists = connection.CreateCommand())
        {
            exists.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'search_item_parent'";
            if ((long)exists.ExecuteScalar()! == 1)
            {
                return;
            }
        }

        using var transaction = connection.BeginTransaction();
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = Ddl;
        command.ExecuteNonQuery();
        transaction.Commit();
    }
}
