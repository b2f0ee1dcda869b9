using System.Globalization;
using Cortex.Embeddings;
using Microsoft.Data.Sqlite;

namespace Cortex.LocalSearch.Tests;

/// <summary>Schema 5: kind and trust are checked without IN lists (older replicas are rewritten in place), and a deferred
/// bulk load runs without the search triggers.</summary>
public sealed class SearchSchemaTests : IDisposable
{
    private static readonly DateTimeOffset Updated = new(2026, 11, 1, 9, 0, 0, TimeSpan.Zero);

    // search_item exactly as schemas 1 to 4 created it.
    private const string Schema4Table = """
        CREATE TABLE search_item (
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
        INSERT INTO search_item (id, kind, subcortex, title, body, trust, updated)
        VALUES ('01JD0000000000000000000201', 'thread', 'ops', 'Grafana dashboard for sync lag', 'Panels for lag.', 'reviewed', 0);
        """;

    private readonly string _path = Path.Combine(Path.GetTempPath(), $"cortex-schema-{Guid.NewGuid():N}.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        foreach (var file in new[] { _path, _path + "-wal", _path + "-shm" })
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void A_schema_4_replica_is_rewritten_to_or_checks_that_still_refuse_what_the_in_lists_refused()
    {
        using (var old = new SqliteConnection($"Data Source={_path};Pooling=False"))
        {
            old.Open();
            Execute(old, Schema4Table);
        }

        using var upgraded = SearchDatabase.Open(_path);

        var sql = Text(upgraded, "SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'search_item'");
        Assert.DoesNotContain(" IN (", sql, StringComparison.Ordinal);
        Assert.Contains("kind = 'task'", sql, StringComparison.Ordinal);
        Assert.Contains("trust = 'draft'", sql, StringComparison.Ordinal);
        Assert.Equal("ok", Text(upgraded, "PRAGMA integrity_check"));
        Assert.Equal((long)SearchSchema.Version, Scalar(upgraded, "SELECT version FROM search_schema"));

        // The row written under schema 4 is still there and the full-text index, created by the upgrade, finds it once rebuilt.
        Execute(upgraded, "INSERT INTO search_fts (search_fts) VALUES ('rebuild')");
        Assert.Equal(1, Scalar(upgraded, "SELECT count(*) FROM search_fts WHERE search_fts MATCH 'grafana'"));

        // A new connection reads the rewritten definition, and both checks still hold.
        using var other = SearchDatabase.Open(_path);
        var bogusKind = Assert.Throws<SqliteException>(() => Execute(other,
            "INSERT INTO search_item (id, kind, subcortex, title, body, trust, updated) VALUES ('x1', 'bogus', 'ops', 't', 'b', 'reviewed', 0)"));
        Assert.Contains("CHECK constraint failed", bogusKind.Message, StringComparison.Ordinal);
        var bogusTrust = Assert.Throws<SqliteException>(() => Execute(other,
            "INSERT INTO search_item (id, kind, subcortex, title, body, trust, updated) VALUES ('x2', 'thread', 'ops', 't', 'b', 'bogus', 0)"));
        Assert.Contains("CHECK constraint failed", bogusTrust.Message, StringComparison.Ordinal);
        foreach (var kind in Enum.GetValues<SearchItemKind>())
        {
            foreach (var trust in Enum.GetValues<TrustLevel>())
            {
                using var transaction = other.BeginTransaction();
                SearchIndex.Upsert(transaction, new SearchItem($"01JD00000000000000000{(int)kind}{(int)trust}999", kind, "ops", "t", "b", trust, Updated, null));
                transaction.Rollback();
            }
        }
    }

    [Fact]
    public void A_deferred_load_drops_the_search_triggers_and_its_completion_brings_them_back_also_across_a_reopen()
    {
        using (var replica = SearchDatabase.Open(_path))
        {
            Assert.Equal(4, Scalar(replica, "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger'"));
            Write(replica, t => SearchFtsDeferral.Begin(t, Updated));
            Assert.Equal(0, Scalar(replica, "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger'"));
            Write(replica, t => SearchIndex.Upsert(t, Item("01JD0000000000000000000211", "Grafana dashboard for sync lag")));
        }

        // A daemon that stops (or is killed) mid-bootstrap reopens still deferred, and still without the triggers.
        using (var reopened = SearchDatabase.Open(_path))
        {
            Assert.Equal(0, Scalar(reopened, "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger'"));
            Write(reopened, SearchFtsDeferral.Complete);
            Assert.Equal(4, Scalar(reopened, "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger'"));
            Assert.Equal(1, Scalar(reopened, "SELECT count(*) FROM search_fts WHERE search_fts MATCH 'grafana'"));

            // In step row by row again.
            Write(reopened, t => SearchIndex.Upsert(t, Item("01JD0000000000000000000212", "Kibana saved search for outbox rejections")));
            Assert.Equal(1, Scalar(reopened, "SELECT count(*) FROM search_fts WHERE search_fts MATCH 'kibana'"));
            Assert.Equal(2, Scalar(reopened, "SELECT indexed_items FROM search_stats"));
        }
    }

    private static SearchItem Item(string id, string title) => new(
        id, SearchItemKind.Thread, "ops", title, title + ".", TrustLevel.Reviewed, Updated, MiniLmEmbedder.Shared.Embed(title));

    private static void Write(SqliteConnection connection, Action<SqliteTransaction> write)
    {
        using var transaction = connection.BeginTransaction();
        write(transaction);
        transaction.Commit();
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static long Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private static string Text(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (string)command.ExecuteScalar()!;
    }
}
