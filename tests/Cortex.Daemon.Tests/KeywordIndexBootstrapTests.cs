using System.Text.Json;
using Cortex.Daemon.Search;
using Cortex.Replica;
using Cortex.SyncProtocol;
using Microsoft.Data.Sqlite;

namespace Cortex.Daemon.Tests;

/// <summary>
/// An initial bootstrap leaves the FTS5 index alone and builds it in one pass when it catches up; live batches keep it
/// in step row by row. Either way the finished index holds exactly what search_item holds, quarantined rows excluded.
/// </summary>
public sealed class KeywordIndexBootstrapTests : IDisposable
{
    private const string Sub = "01JAAAAAAAAAAAAAAAAAAAASC1";
    private readonly string _directory = Directory.CreateTempSubdirectory("cortex-fts-").FullName;
    private ReplicaStore _replica;
    private long _position;

    public KeywordIndexBootstrapTests()
    {
        _replica = Open();
        _replica.SetConnection("http://127.0.0.1:9", "01JAAAAAAAAAAAAAAAAAAAAAP1");
    }

    private string ReplicaFile => Path.Combine(_directory, "replica.db");

    [Fact]
    public void A_bootstrap_defers_the_keyword_index_until_it_catches_up_then_indexes_exactly_what_it_holds()
    {
        Apply(bootstrapping: true, hasMore: true,
            Thread("T1", "zebra rollout failed"), Thread("T2", "zebra canary held"), Thread("T3", "zebra secret leak", quarantined: true));
        Assert.True(Deferred());
        Assert.Empty(Matches("zebra"));

        Apply(bootstrapping: true, hasMore: true, Thread("T2", "quokka canary held", version: 2), Delete("T1"), Thread("T4", "zebra rollback done"));
        Apply(bootstrapping: true, hasMore: false, Thread("T5", "zebra again"));

        Assert.False(Deferred());
        Assert.Equal(["T4", "T5"], Matches("zebra"));
        Assert.Equal(["T2"], Matches("quokka"));
        Assert.Empty(Matches("leak"));
        Assert.Equal(["3"], Query("SELECT indexed_items FROM search_stats"));
        AssertIntegrity();
    }

    [Fact]
    public void Live_batches_keep_the_keyword_index_in_step_row_by_row()
    {
        Apply(bootstrapping: false, hasMore: true, Thread("T1", "zebra rollout failed"));

        Assert.False(Deferred());
        Assert.Equal(["T1"], Matches("zebra"));
        AssertIntegrity();
    }

    [Fact]
    public void A_bootstrap_interrupted_by_a_restart_still_builds_the_index_when_the_replica_catches_up()
    {
        Apply(bootstrapping: true, hasMore: true, Thread("T1", "zebra rollout failed"));
        _replica.Dispose();
        _replica = Open();
        Assert.True(Deferred());

        // After a reconnect the server no longer calls it a bootstrap (the cursor is past 0); catching up completes it.
        Apply(bootstrapping: false, hasMore: false, Thread("T2", "zebra canary held"));

        Assert.False(Deferred());
        Assert.Equal(["T1", "T2"], Matches("zebra"));
        AssertIntegrity();
    }

    [Fact]
    public void A_bootstrap_onto_an_index_that_already_holds_synced_items_keeps_it_in_step()
    {
        Apply(bootstrapping: false, hasMore: false, Thread("T1", "zebra rollout failed"));

        Apply(bootstrapping: true, hasMore: true, Thread("T2", "zebra canary held"));

        Assert.False(Deferred());
        Assert.Equal(["T1", "T2"], Matches("zebra"));
    }

    public void Dispose()
    {
        _replica.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private ReplicaStore Open()
    {
        var replica = ReplicaStore.Open(ReplicaFile, ReplicaSearchSink.ReplicaOptions());
        if (replica.GetSyncState().Epoch == 0)
        {
            replica.ResetEpoch(1, "first sync");
        }

        return replica;
    }

    private void Apply(bool bootstrapping, bool hasMore, params Func<long, EntityChange>[] changes)
    {
        var after = _position;
        var list = changes.Select(change => change(++_position)).ToList();
        _replica.ApplyBatch(new ChangeBatch
        {
            Epoch = 1,
            After = after,
            UpTo = _position,
            Head = hasMore ? _position + 100 : _position,
            HasMore = hasMore,
            Changes = list,
            Progress = bootstrapping ? new BootstrapProgress { ItemsSent = _position, TotalEstimate = _position + 100 } : null,
        });
    }

    private static Func<long, EntityChange> Thread(string id, string title, long version = 1, bool quarantined = false) => position => new EntityChange
    {
        Position = position,
        Entity = "thread",
        EntityId = id,
        Operation = ChangeOperation.Upsert,
        Version = version,
        SubcortexId = Sub,
        Payload = JsonSerializer.SerializeToUtf8Bytes(new { id, subcortexId = Sub, title, body = "body of " + id, kind = "discussion", quarantined }),
    };

    private static Func<long, EntityChange> Delete(string id) => position => new EntityChange
    {
        Position = position,
        Entity = "thread",
        EntityId = id,
        Operation = ChangeOperation.Delete,
        Version = 99,
        SubcortexId = Sub,
    };

    private bool Deferred() => Query("SELECT count(*) FROM search_fts_deferred").Single() == "1";

    private List<string> Matches(string term) =>
        [.. Query($"SELECT s.id FROM search_fts f JOIN search_item s ON s.rowid = f.rowid WHERE search_fts MATCH '{term}'").Order(StringComparer.Ordinal)];

    /// <summary>FTS5's own structural check (it throws when the index is corrupt). Not against the content table: quarantined
    /// rows are in search_item and deliberately not in the index.</summary>
    private void AssertIntegrity()
    {
        using var connection = new SqliteConnection($"Data Source={ReplicaFile};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO search_fts (search_fts, rank) VALUES ('integrity-check', 0)";
        command.ExecuteNonQuery();
    }

    private List<string> Query(string sql)
    {
        using var connection = _replica.OpenReadConnection();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add(Convert.ToString(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture)!);
        }

        return rows;
    }
}
