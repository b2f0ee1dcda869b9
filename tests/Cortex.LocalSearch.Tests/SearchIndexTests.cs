using System.Globalization;
using Cortex.Embeddings;
using Microsoft.Data.Sqlite;

namespace Cortex.LocalSearch.Tests;

/// <summary>Writes through <see cref="SearchIndex"/> keep FTS5, sqlite-vec and the counters in step, inside the caller's transaction.</summary>
public sealed class SearchIndexTests : IDisposable
{
    private static readonly DateTimeOffset Updated = new(2026, 11, 1, 9, 0, 0, TimeSpan.Zero);

    private readonly SqliteConnection _replica = SearchDatabase.Open(":memory:", sqliteVecIndex: true);
    private readonly HybridSearch _search = SeededCorpus.CreateSearch();

    public void Dispose() => _replica.Dispose();

    [Fact]
    public void A_rolled_back_upsert_leaves_nothing_behind()
    {
        using (var transaction = _replica.BeginTransaction())
        {
            SearchIndex.Upsert(transaction, Item("01JD0000000000000000000101", "Grafana dashboard for sync lag"));
            transaction.Rollback();
        }

        Assert.Empty(Search("Grafana", SearchMode.Keyword));
        Assert.Empty(Search("Grafana dashboard", SearchMode.Semantic));
        AssertCountersMatchRows();
    }

    [Fact]
    public void An_upsert_commits_with_the_callers_other_writes()
    {
        using (var transaction = _replica.BeginTransaction())
        {
            using var cursor = _replica.CreateCommand();
            cursor.Transaction = transaction;
            cursor.CommandText = "CREATE TABLE sync_cursor (position INTEGER NOT NULL); INSERT INTO sync_cursor VALUES (42);";
            cursor.ExecuteNonQuery();
            SearchIndex.Upsert(transaction, Item("01JD0000000000000000000102", "Grafana dashboard for sync lag"));
            transaction.Commit();
        }

        Assert.Single(Search("Grafana", SearchMode.Keyword));
        Assert.Single(Search("Grafana dashboard", SearchMode.Semantic));
    }

    [Fact]
    public void Upserting_an_existing_id_replaces_its_words_and_vector()
    {
        const string Id = "01JD0000000000000000000103";
        Write(t => SearchIndex.Upsert(t, Item(Id, "Grafana dashboard for sync lag")));
        Write(t => SearchIndex.Upsert(t, Item(Id, "Kibana saved search for outbox rejections")));

        Assert.Empty(Search("Grafana", SearchMode.Keyword));
        var hit = Assert.Single(Search("Kibana", SearchMode.Keyword));
        Assert.Equal("Kibana saved search for outbox rejections", hit.Title);
        Assert.Equal(Id, _search.NearestByVector(_replica, MiniLmEmbedder.Shared.Embed("Kibana saved search for outbox rejections"), 1)[0]);
        AssertCountersMatchRows();
    }

    [Fact]
    public void A_deleted_item_leaves_both_indexes()
    {
        const string Id = "01JD0000000000000000000104";
        Write(t => SearchIndex.Upsert(t, Item(Id, "Grafana dashboard for sync lag")));

        var deleted = false;
        Write(t => deleted = SearchIndex.Delete(t, Id));

        Assert.True(deleted);
        Assert.Empty(Search("Grafana", SearchMode.Keyword));
        Assert.Empty(Search("Grafana dashboard", SearchMode.Semantic));
        AssertCountersMatchRows();
    }

    [Fact]
    public void Quarantine_hides_an_item_from_both_indexes_and_lifting_it_restores_it()
    {
        const string Id = "01JD0000000000000000000105";
        Write(t => SearchIndex.Upsert(t, Item(Id, "Grafana dashboard for sync lag")));

        Write(t => Assert.True(SearchIndex.SetQuarantined(t, Id, quarantined: true)));
        Assert.Empty(Search("Grafana", SearchMode.Keyword));
        Assert.Empty(Search("Grafana dashboard", SearchMode.Semantic));
        AssertCountersMatchRows();

        Write(t => Assert.True(SearchIndex.SetQuarantined(t, Id, quarantined: false)));
        Assert.Single(Search("Grafana", SearchMode.Keyword));
        Assert.Single(Search("Grafana dashboard", SearchMode.Semantic));
        AssertCountersMatchRows();
    }

    [Fact]
    public void Purging_a_subcortex_removes_only_its_items()
    {
        Write(t =>
        {
            SearchIndex.Upsert(t, Item("01JD0000000000000000000106", "Grafana dashboard for sync lag") with { Subcortex = "private-team" });
            SearchIndex.Upsert(t, Item("01JD0000000000000000000107", "Grafana alert for disk usage"));
        });

        var purged = 0;
        Write(t => purged = SearchIndex.PurgeSubcortex(t, "private-team"));

        Assert.Equal(1, purged);
        var hit = Assert.Single(Search("Grafana", SearchMode.Keyword));
        Assert.Equal("01JD0000000000000000000107", hit.Id);
        AssertCountersMatchRows();
    }

    [Fact]
    public void The_in_memory_vector_index_follows_writes_made_on_another_connection()
    {
        var path = Path.Combine(Path.GetTempPath(), $"cortex-localsearch-test-{Guid.NewGuid():N}.db");
        try
        {
            using (var reader = SearchDatabase.Open(path, sqliteVecIndex: true))
            using (var writer = SearchDatabase.Open(path, sqliteVecIndex: true))
            {
                var vector = MiniLmEmbedder.Shared.Embed("Grafana dashboard for sync lag");
                Assert.Empty(_search.NearestByVector(reader, vector, 5));

                WriteOn(writer, t => SearchIndex.Upsert(t, Item("01JD0000000000000000000112", "Grafana dashboard for sync lag")));
                Assert.Equal(["01JD0000000000000000000112"], _search.NearestByVector(reader, vector, 5));

                WriteOn(writer, t => SearchIndex.Upsert(t, Item("01JD0000000000000000000112", "Grafana dashboard for sync lag") with { Subcortex = "web" }));
                Assert.Empty(_search.NearestByVector(reader, vector, 5, new SearchFilter(Subcortexes: ["ops"])));
                Assert.Single(_search.NearestByVector(reader, vector, 5, new SearchFilter(Subcortexes: ["web"])));

                WriteOn(writer, t => SearchIndex.Delete(t, "01JD0000000000000000000112"));
                Assert.Empty(_search.NearestByVector(reader, vector, 5));
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            foreach (var file in new[] { path, path + "-wal", path + "-shm" })
            {
                File.Delete(file);
            }
        }
    }

    [Fact]
    public void A_deferred_bulk_load_is_indexed_in_full_when_it_completes_and_a_vector_index_loaded_before_reloads()
    {
        var path = Path.Combine(Path.GetTempPath(), $"cortex-localsearch-test-{Guid.NewGuid():N}.db");
        try
        {
            using var reader = SearchDatabase.Open(path);
            using var writer = SearchDatabase.Open(path);
            var vector = MiniLmEmbedder.Shared.Embed("Grafana dashboard for sync lag");
            WriteOn(writer, t => SearchIndex.Upsert(t, Item("01JD0000000000000000000120", "Kibana saved search for outbox rejections")));
            Assert.Equal(["01JD0000000000000000000120"], _search.NearestByVector(reader, vector, 5));
            var logBefore = ScalarOn(reader, "SELECT max(seq) FROM search_vec_log");

            WriteOn(writer, t =>
            {
                SearchFtsDeferral.Begin(t, Updated);
                SearchIndex.Upsert(t, Item("01JD0000000000000000000121", "Grafana dashboard for sync lag"));
                SearchIndex.Upsert(t, Item("01JD0000000000000000000122", "Grafana alert on replica lag") with { Quarantined = true });
                SearchIndex.Upsert(t, Item("01JD0000000000000000000123", "Prometheus rule for outbox depth"));
                SearchIndex.Delete(t, "01JD0000000000000000000123");
            });

            // While deferred nothing but search_item moves: no log entries, no counts, no words.
            Assert.Equal(logBefore, ScalarOn(reader, "SELECT max(seq) FROM search_vec_log"));
            Assert.Equal(1, ScalarOn(reader, "SELECT indexed_items FROM search_stats"));
            Assert.Equal(0, ScalarOn(reader, "SELECT count(*) FROM search_fts WHERE search_fts MATCH 'grafana'"));
            Assert.Equal(["01JD0000000000000000000120"], _search.NearestByVector(reader, vector, 5));

            WriteOn(writer, SearchFtsDeferral.Complete);

            Assert.Equal(2, ScalarOn(reader, "SELECT indexed_items FROM search_stats"));
            Assert.Equal(1, ScalarOn(reader, "SELECT count(*) FROM search_fts WHERE search_fts MATCH 'grafana'"));
            Assert.Equal("01JD0000000000000000000121", _search.NearestByVector(reader, vector, 5)[0]);
            Assert.Equal(2, _search.NearestByVector(reader, vector, 5).Count);

            // Kept in step row by row again, and the reloaded index follows the log from there.
            WriteOn(writer, t => SearchIndex.Delete(t, "01JD0000000000000000000121"));
            Assert.Equal(["01JD0000000000000000000120"], _search.NearestByVector(reader, vector, 5));
            Assert.Equal(1, ScalarOn(reader, "SELECT indexed_items FROM search_stats"));
            Assert.Equal(0, ScalarOn(reader, "SELECT count(*) FROM search_fts WHERE search_fts MATCH 'grafana'"));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            foreach (var file in new[] { path, path + "-wal", path + "-shm" })
            {
                File.Delete(file);
            }
        }
    }

    [Fact]
    public void A_word_searched_before_any_item_had_it_is_found_once_an_item_does()
    {
        Write(t => SearchIndex.Upsert(t, Item("01JD0000000000000000000113", "Grafana dashboard for sync lag")));
        Assert.Empty(Search("ZX-99", SearchMode.Keyword));

        Write(t => SearchIndex.Upsert(t, Item("01JD0000000000000000000114", "Draft runbook for the ZX-99 appliance") with { Pending = true }));

        var hit = Assert.Single(Search("ZX-99", SearchMode.Keyword));
        Assert.True(hit.Pending);
    }

    [Fact]
    public void Pending_ids_lists_local_writes_not_yet_accepted()
    {
        Write(t =>
        {
            SearchIndex.Upsert(t, Item("01JD0000000000000000000108", "Local note one") with { Pending = true });
            SearchIndex.Upsert(t, Item("01JD0000000000000000000109", "Synced note two"));
        });

        Assert.Equal(["01JD0000000000000000000108"], SearchIndex.PendingIds(_replica));
    }

    [Fact]
    public void A_row_sqlite_refuses_surfaces_as_its_error_and_the_writer_goes_on()
    {
        using (var transaction = _replica.BeginTransaction())
        using (var writer = new SearchIndexWriter(transaction))
        {
            var refused = Assert.Throws<SqliteException>(() => writer.Upsert(Item("01JD0000000000000000000130", "No title") with { Title = null! }));
            Assert.Contains("NOT NULL", refused.Message, StringComparison.Ordinal);

            writer.Upsert(Item("01JD0000000000000000000131", "Grafana dashboard for sync lag"));
            transaction.Commit();
        }

        Assert.Equal("01JD0000000000000000000131", Assert.Single(Search("Grafana", SearchMode.Keyword)).Id);
        AssertCountersMatchRows();
    }

    [Fact]
    public void A_vector_of_the_wrong_length_is_refused()
    {
        using var transaction = _replica.BeginTransaction();

        Assert.Throws<ArgumentException>(() => SearchIndex.Upsert(transaction, Item("01JD0000000000000000000110", "Short vector") with { Embedding = new float[12] }));
    }

    [Fact]
    public void The_schema_can_be_ensured_again_on_an_open_replica()
    {
        Write(t => SearchIndex.Upsert(t, Item("01JD0000000000000000000111", "Grafana dashboard for sync lag")));

        SearchSchema.EnsureCreated(_replica);

        Assert.Single(Search("Grafana", SearchMode.Keyword));
        AssertCountersMatchRows();
    }

    [Fact]
    public void A_replica_keeps_no_sqlite_vec_copy_unless_asked_and_still_finds_by_vector()
    {
        using var replica = SearchDatabase.Open(":memory:");
        WriteOn(replica, t => SearchIndex.Upsert(t, Item("01JD0000000000000000000115", "Grafana dashboard for sync lag")));

        Assert.Equal(0L, ScalarOn(replica, "SELECT count(*) FROM sqlite_master WHERE name = 'search_vec' OR sql LIKE '%search_vec %'"));
        var search = new HybridSearch(null, HybridSearchOptions.Default);
        Assert.Equal(["01JD0000000000000000000115"], search.NearestByVector(replica, MiniLmEmbedder.Shared.Embed("sync lag dashboard"), 1));
    }

    [Fact]
    public void A_schema_1_replica_drops_its_sqlite_vec_copy_and_keeps_deleting_and_searching()
    {
        var path = Path.Combine(Path.GetTempPath(), $"cortex-schema1-{Guid.NewGuid():N}.db");
        try
        {
            using (var old = SearchDatabase.Open(path, sqliteVecIndex: true))
            {
                WriteOn(old, t => SearchIndex.Upsert(t, Item("01JD0000000000000000000116", "Grafana dashboard for sync lag")));
                WriteOn(old, t => SearchIndex.Upsert(t, Item("01JD0000000000000000000117", "Kibana saved search for outbox rejections")));
                // What schema 1 looked like: no version row, and the delete trigger itself wrote to search_vec.
                using var downgrade = old.CreateCommand();
                downgrade.CommandText = """
                    DROP TABLE search_schema;
                    DROP TRIGGER search_item_delete_vector;
                    DROP TRIGGER search_item_delete;
                    CREATE TRIGGER search_item_delete AFTER DELETE ON search_item BEGIN
                        INSERT INTO search_fts (search_fts, rowid, title, body)
                            SELECT 'delete', old.rowid, old.title, old.body WHERE old.quarantined = 0;
                        UPDATE search_stats SET indexed_items = indexed_items - 1 WHERE old.quarantined = 0;
                        DELETE FROM search_vec WHERE rowid = old.rowid;
                        INSERT INTO search_vec_log (item_rowid) VALUES (old.rowid);
                    END;
                    """;
                downgrade.ExecuteNonQuery();
            }

            using var upgraded = SearchDatabase.Open(path);

            Assert.Equal(0L, ScalarOn(upgraded, "SELECT count(*) FROM sqlite_master WHERE name = 'search_vec' OR sql LIKE '%search_vec %'"));
            Assert.Equal((long)SearchSchema.Version, ScalarOn(upgraded, "SELECT version FROM search_schema"));
            var deleted = false;
            WriteOn(upgraded, t => deleted = SearchIndex.Delete(t, "01JD0000000000000000000116"));
            Assert.True(deleted);
            var search = new HybridSearch(null, HybridSearchOptions.Default);
            Assert.Empty(search.Search(upgraded, new SearchRequest("Grafana", Mode: SearchMode.Keyword)).Hits);
            Assert.Equal("01JD0000000000000000000117", Assert.Single(search.Search(upgraded, new SearchRequest("Kibana", Mode: SearchMode.Keyword)).Hits).Id);
            Assert.Equal(1L, ScalarOn(upgraded, "SELECT indexed_items FROM search_stats"));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            foreach (var file in Directory.GetFiles(Path.GetTempPath(), Path.GetFileName(path) + "*"))
            {
                File.Delete(file);
            }
        }
    }

    private static long ScalarOn(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private static SearchItem Item(string id, string title) => new(
        id, SearchItemKind.Thread, "ops", title, title + ". Body text about " + title.ToLowerInvariant() + ".",
        TrustLevel.Reviewed, Updated, MiniLmEmbedder.Shared.Embed(title));

    private static void WriteOn(SqliteConnection connection, Action<SqliteTransaction> write)
    {
        using var transaction = connection.BeginTransaction();
        write(transaction);
        transaction.Commit();
    }

    private void Write(Action<SqliteTransaction> write) => WriteOn(_replica, write);

    private IReadOnlyList<SearchHit> Search(string query, SearchMode mode) =>
        _search.Search(_replica, new SearchRequest(query, Mode: mode)).Hits.Where(h => mode != SearchMode.Semantic || h.Scores.Vector > 0.5).ToList();

    private void AssertCountersMatchRows()
    {
        Assert.Equal(Scalar("SELECT count(*) FROM search_item WHERE quarantined = 0"), Scalar("SELECT indexed_items FROM search_stats"));
        Assert.Equal(Scalar("SELECT count(*) FROM search_item WHERE quarantined = 0 AND embedding IS NOT NULL"), Scalar("SELECT count(*) FROM search_vec"));
    }

    private long Scalar(string sql)
    {
        using var command = _replica.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }
}
