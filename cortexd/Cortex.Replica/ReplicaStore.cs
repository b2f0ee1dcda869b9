using Microsoft.Data.Sqlite;

namespace Cortex.Replica;

/// <summary>
/// A workspace's SQLite replica: synced entities, the cursor and epoch that cover them, document bodies and the outbox.
/// Every method is synchronous (SQLite is) and thread-safe; writes are serialized on one connection.
/// </summary>
public sealed partial class ReplicaStore : IDisposable
{
    private readonly ReplicaDb _db;
    private readonly ReplicaOptions _options;

    private ReplicaStore(ReplicaDb db, ReplicaOptions options)
    {
        _db = db;
        _options = options;
        Outbox = new ReplicaOutbox(db, options);
        Documents = new DocumentLog(db, options.ChangeSink);
    }

    public string Path => _db.Path;

    public ReplicaOutbox Outbox { get; }

    public DocumentLog Documents { get; }

    /// <summary>Opens (creating if needed) the replica at <paramref name="path"/> and brings its schema up to date.</summary>
    public static ReplicaStore Open(string path, ReplicaOptions? options = null)
    {
        options ??= new ReplicaOptions();
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        var db = new ReplicaDb(path, options.Time);
        try
        {
            lock (db.Gate)
            {
                Migrations.Apply(db);
                db.Execute("INSERT OR IGNORE INTO sync_state (id, replica_id) VALUES (1, $r)", null, ("$r", Ulid.NewUlid(options.Time.GetUtcNow()).ToString()));
                ReplicaOutbox.RecoverAfterRestart(db);
                options.WriteConnectionOpened?.Invoke(db.Connection);
            }

            return new ReplicaStore(db, options);
        }
        catch
        {
            db.Dispose();
            throw;
        }
    }

    /// <summary>A new read-only connection for heavy readers (search); WAL lets it read while the replica writes.</summary>
    public SqliteConnection OpenReadConnection()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder(_db.ConnectionString) { Mode = SqliteOpenMode.ReadOnly }.ToString());
        try
        {
            connection.Open();
            _options.ReadConnectionOpened?.Invoke(connection);
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public SyncState GetSyncState()
    {
        lock (_db.Gate)
        {
            return ReadState(null);
        }
    }

    /// <summary>The stored JSON of one entity, or null when the replica does not hold it.</summary>
    public string? GetJson(string entity, string id)
    {
        var table = EntityTables.Find(entity);
        lock (_db.Gate)
        {
            return table is null
                ? _db.Scalar<string>("SELECT json FROM other_entities WHERE entity = $e AND id = $id", null, ("$e", entity), ("$id", id))
                : _db.Scalar<string>($"SELECT json FROM {table.Table} WHERE id = $id", null, ("$id", id));
        }
    }

    /// <summary>
    /// Records the server and principal the replica syncs with. A different principal than the stored one wipes the
    /// synced data (it was filtered for someone else) and gives up that principal's undecided writes, which must not be
    /// uploaded under another key.
    /// </summary>
    public void SetConnection(string serverUrl, string principalId)
    {
        lock (_db.Gate)
        {
            using var transaction = _db.Begin();
            var state = ReadState(transaction);
            if (state.PrincipalId is not null && state.PrincipalId != principalId)
            {
                WipeSyncedData(transaction);
                _db.Execute("UPDATE sync_state SET epoch = 0, cursor = 0, head = 0, lag_since_ms = NULL, bootstrap_sent = NULL, bootstrap_total = NULL", transaction);
                ReplicaOutbox.GiveUpUndecided(_db, transaction, OutboxReasons.PrincipalChanged,
                    $"queued by principal {state.PrincipalId}; the replica now syncs as {principalId}");
                _options.ChangeSink?.OnChanges(new ReplicaChangeSet { Cleared = true }, transaction);
            }

            _db.Execute("UPDATE sync_state SET server_url = $u, principal_id = $p", transaction, ("$u", serverUrl), ("$p", principalId));
            transaction.Commit();
        }
    }

    /// <summary>Records a head the server announced (hello, head-advanced push), for lag reporting.</summary>
    public void RecordHead(long head)
    {
        lock (_db.Gate)
        {
            // The server says it again on every push and pull, so this need not wait for the disk.
            using var transaction = _db.BeginReplayable();
            try
            {
                _db.Execute("""
                    UPDATE sync_state SET
                        lag_since_ms = CASE WHEN $h > cursor THEN coalesce(lag_since_ms, $now) ELSE lag_since_ms END,
                        head = max(head, $h)
                    """, transaction, ("$h", head), ("$now", _db.NowUnixMs));
                transaction.Commit();
            }
            finally
            {
                _db.EndReplayable();
            }
        }
    }

    public void Dispose() => _db.Dispose();

    private SyncState ReadState(SqliteTransaction? transaction)
    {
        using var command = _db.Command("""
            SELECT replica_id, server_url, principal_id, epoch, cursor, head, lag_since_ms, last_sync_at_ms,
                   bootstrap_sent, bootstrap_total, reset_count
            FROM sync_state WHERE id = 1
            """, transaction);
        using var reader = command.ExecuteReader();
        reader.Read();
        return new SyncState(
            reader.GetString(0),
            reader.GetNullableString(1),
            reader.GetNullableString(2),
            reader.GetInt64(3),
            reader.GetInt64(4),
            reader.GetInt64(5),
            FromUnixMs(reader.GetNullableInt64(6)),
            FromUnixMs(reader.GetNullableInt64(7)),
            reader.GetNullableInt64(8),
            reader.GetNullableInt64(9),
            reader.GetInt32(10));
    }

    private void WipeSyncedData(SqliteTransaction transaction)
    {
        foreach (var table in EntityTables.All)
        {
            _db.Execute($"DELETE FROM {table.Table}", transaction);
        }

        _db.Execute("DELETE FROM other_entities; DELETE FROM documents; DELETE FROM document_updates; DELETE FROM purge_fences;", transaction);
    }

    internal static DateTimeOffset? FromUnixMs(long? ms) => ms is { } value ? DateTimeOffset.FromUnixTimeMilliseconds(value) : null;
}
