using Microsoft.Data.Sqlite;

namespace Cortex.Replica;

/// <summary>
/// The replica's one write connection. SQLite allows one writer at a time anyway; a single connection behind a lock
/// keeps the daemon's writers (sync loop, outbox, document log) from interleaving inside each other's transactions.
/// Heavy readers (search) open their own read connections; WAL lets them run beside the writer.
/// </summary>
internal sealed class ReplicaDb : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly WalCheckpointer _checkpointer;

    public ReplicaDb(string path, TimeProvider time)
    {
        Path = path;
        Time = time;
        CreatePrivately(path);
        ConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
        }.ToString();
        _connection = new SqliteConnection(ConnectionString);
        _connection.Open();
        // WAL: readers never block the writer. synchronous=FULL: a commit is on disk when it returns, so a write queued in
        // the outbox survives a power loss, not only a process kill (NORMAL would only lose the last commits, but a lost
        // outbox entry is a write the user believes is queued). Bootstrap commits in batches, so the extra fsync is cheap.
        // 16 KiB pages (effective when the file is created): rows with a 1.5 KiB embedding waste half of a 4 KiB page.
        Execute("PRAGMA page_size=16384");
        var mode = Scalar<string>("PRAGMA journal_mode=WAL");
        if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"SQLite refused WAL mode for {path} (journal_mode is {mode}).");
        }

        Execute("PRAGMA synchronous=FULL; PRAGMA busy_timeout=5000; PRAGMA foreign_keys=ON;");
        // Statement journals in memory: every upsert that fires triggers (the search index's) journals the pages it
        // touches, and as temp files that was 15 GB of writes for a 100k-item bootstrap. Checkpoints run on their own
        // thread (WalCheckpointer); the WAL file is cut back to 64 MB when it restarts after a big bootstrap.
        Execute("PRAGMA temp_store=MEMORY; PRAGMA wal_autocheckpoint=0; PRAGMA journal_size_limit=67108864;");
        _checkpointer = new WalCheckpointer(path, ConnectionString);
    }

    public string Path { get; }

    /// <summary>
    /// A new replica file is 0600 (SQLite would create it 0644, and its -wal and -shm files take its mode): the state
    /// directory is not always the only guard (in the repository, <c>.cortex/</c> lets the postgres user traverse it).
    /// </summary>
    private static void CreatePrivately(string path)
    {
        if (OperatingSystem.IsWindows() || path.StartsWith(':') || File.Exists(path))
        {
            return;
        }

        using var created = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        });
    }

    public string ConnectionString { get; }

    public TimeProvider Time { get; }

    public Lock Gate { get; } = new();

    public SqliteConnection Connection => _connection;

    public long NowUnixMs => Time.GetUtcNow().ToUnixTimeMilliseconds();

    public SqliteCommand Command(string sql, SqliteTransaction? transaction = null, params (string Name, object? Value)[] parameters)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    public int Execute(string sql, SqliteTransaction? transaction = null, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(sql, transaction, parameters);
        return command.ExecuteNonQuery();
    }

    public T? Scalar<T>(string sql, SqliteTransaction? transaction = null, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(sql, transaction, parameters);
        var value = command.ExecuteScalar();
        return value is null or DBNull ? default : (T)Convert.ChangeType(value, Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    public SqliteTransaction Begin() => _connection.BeginTransaction();

    /// <summary>
    /// A transaction whose COMMIT does not wait for the disk (WAL with synchronous=NORMAL: still atomic and consistent,
    /// but a power loss may undo it). Only for what the server can send again: applied batches carry their cursor, so
    /// losing one means pulling it again. The next FULL commit (an outbox write) syncs the WAL, these frames included.
    /// </summary>
    public SqliteTransaction BeginReplayable()
    {
        Execute("PRAGMA synchronous=NORMAL");
        return _connection.BeginTransaction();
    }

    /// <summary>Back to the default, durable commits; call after a <see cref="BeginReplayable"/> transaction ends.</summary>
    public void EndReplayable() => Execute("PRAGMA synchronous=FULL");

    public void Dispose()
    {
        _checkpointer.Dispose();
        _connection.Dispose();
    }
}
