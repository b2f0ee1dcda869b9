using Microsoft.Data.Sqlite;
using static Cortex.Replica.Tests.Changes;

namespace Cortex.Replica.Tests;

public sealed class StorageTests : IDisposable
{
    private readonly TempReplica _replica = new();

    [Fact]
    public void The_replica_runs_in_WAL_mode_with_its_migrations_recorded()
    {
        Assert.Equal("wal", _replica.Query<string>("PRAGMA journal_mode"));
        Assert.Equal(1, _replica.Query<long>("SELECT max(version) FROM schema_migrations"));
        Assert.True(Ulid.TryParse(_replica.Store.GetSyncState().ReplicaId, out _));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void A_new_replica_file_and_its_wal_are_readable_by_their_owner_only()
    {
        _replica.Store.ResetEpoch(1, "first sync");
        _replica.Store.ApplyBatch(Batch(0, 10, Thread(3, "t1")));
        const UnixFileMode ownerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        Assert.Equal(ownerOnly, File.GetUnixFileMode(_replica.Path));
        Assert.Equal(ownerOnly, File.GetUnixFileMode(_replica.Path + "-wal"));
    }

    [Fact]
    public void Reopening_keeps_data_cursor_and_replica_id_and_reapplies_no_migration()
    {
        _replica.Store.ResetEpoch(1, "first sync");
        _replica.Store.ApplyBatch(Batch(0, 10, Thread(3, "t1")));
        var before = _replica.Store.GetSyncState();

        _replica.Reopen();

        Assert.Equal(before, _replica.Store.GetSyncState());
        Assert.Single(_replica.Rows());
        Assert.Equal(1, _replica.Query<long>("SELECT count(*) FROM schema_migrations"));
    }

    [Fact]
    public void A_replica_from_a_newer_cortexd_is_refused()
    {
        using (var connection = new SqliteConnection($"Data Source={_replica.Path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "INSERT INTO schema_migrations (version, name, applied_at_ms) VALUES (99, 'future', 0)";
            command.ExecuteNonQuery();
        }

        var error = Assert.Throws<InvalidOperationException>(() => ReplicaStore.Open(_replica.Path));
        Assert.Contains("newer", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_reader_connection_sees_committed_data_while_the_store_writes()
    {
        _replica.Store.ResetEpoch(1, "first sync");
        using var reader = _replica.Store.OpenReadConnection();
        using var transaction = reader.BeginTransaction();
        using var command = reader.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT count(*) FROM threads";
        Assert.Equal(0L, command.ExecuteScalar());

        _replica.Store.ApplyBatch(Batch(0, 10, Thread(3, "t1")));

        Assert.Equal(0L, command.ExecuteScalar());
        Assert.Single(_replica.Rows());
    }

    [Fact]
    public void Committed_pages_reach_the_database_file_while_the_writer_stays_open_without_checkpointing_itself()
    {
        _replica.Store.ResetEpoch(1, "first sync");
        _replica.Store.ApplyBatch(Batch(0, 10, Thread(3, "t1", "checkpointed")));

        // immutable=1 reads the database file alone, ignoring the WAL: the row shows there once a checkpoint copied it.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        string? title = null;
        while (title is null && DateTime.UtcNow < deadline)
        {
            title = ReadFromDatabaseFile("SELECT title FROM threads WHERE id = 't1'");
            if (title is null)
            {
                System.Threading.Thread.Sleep(50);
            }
        }

        Assert.Equal("checkpointed", title);
    }

    private string? ReadFromDatabaseFile(string sql)
    {
        try
        {
            using var file = new SqliteConnection($"Data Source=file:{_replica.Path}?immutable=1;Mode=ReadOnly;Pooling=False");
            file.Open();
            using var command = file.CreateCommand();
            command.CommandText = sql;
            return command.ExecuteScalar() as string;
        }
        catch (SqliteException)
        {
            // The file is being written under a reader that promised it would not be (immutable): try again.
            return null;
        }
    }

    [Fact]
    public void Connection_hooks_run_on_the_write_connection_and_on_read_connections()
    {
        var opened = new List<string>();
        using var replica = new TempReplica(new ReplicaOptions
        {
            WriteConnectionOpened = c => opened.Add("write " + c.State),
            ReadConnectionOpened = c => opened.Add("read " + c.State),
        });

        using (replica.Store.OpenReadConnection())
        {
        }

        Assert.Equal(["write Open", "read Open"], opened);
    }

    public void Dispose() => _replica.Dispose();
}
