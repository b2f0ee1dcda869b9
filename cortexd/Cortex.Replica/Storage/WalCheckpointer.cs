using Microsoft.Data.Sqlite;

namespace Cortex.Replica;

/// <summary>
/// Copies the WAL's committed pages into the database file on a thread and connection of its own, so the write
/// connection never checkpoints (it runs with <c>wal_autocheckpoint=0</c>). A checkpoint in the committing thread copied
/// about 16 MB and waited for an fsync every few sync batches: a third of a bootstrap's time, and the 20–50 ms stalls in
/// steady-state applies. PASSIVE checkpoints never block the writer or readers (a WAL past 256 MB gets one blocking
/// TRUNCATE, so a writer that never pauses cannot grow it without bound); a failed one is retried on the next
/// round, and closing the last connection checkpoints whatever is left.
/// </summary>
internal sealed class WalCheckpointer : IDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan RetryAfterError = TimeSpan.FromSeconds(2);
    private const long ForceResetBytes = 256L * 1024 * 1024;

    private readonly SqliteConnection _connection;
    private readonly ManualResetEventSlim _stop = new();
    private readonly Thread _thread;
    private readonly string _walPath;

    public WalCheckpointer(string databasePath, string connectionString)
    {
        _walPath = databasePath + "-wal";
        _connection = new SqliteConnection(connectionString);
        _connection.Open();
        using (var command = _connection.CreateCommand())
        {
            // NORMAL in WAL mode: the checkpoint fsyncs the database file before the WAL may be reused.
            command.CommandText = "PRAGMA synchronous=NORMAL";
            command.ExecuteNonQuery();
        }

        _thread = new Thread(Run) { IsBackground = true, Name = "replica-wal-checkpointer" };
        _thread.Start();
    }

    public void Dispose()
    {
        _stop.Set();
        _thread.Join();
        _connection.Dispose();
        _stop.Dispose();
    }

    private void Checkpoint(string mode)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = $"PRAGMA busy_timeout={(mode == "PASSIVE" ? 0 : 5000)}; PRAGMA wal_checkpoint({mode});";
        command.ExecuteNonQuery();
    }

    private void Run()
    {
        var wait = Interval;
        while (!_stop.Wait(wait))
        {
            try
            {
                Checkpoint("PASSIVE");
                if (File.Exists(_walPath) && new FileInfo(_walPath).Length > ForceResetBytes)
                {
                    // A writer that commits faster than PASSIVE copies never lets the WAL restart; wait for it once.
                    Checkpoint("TRUNCATE");
                }

                wait = Interval;
            }
            catch (SqliteException)
            {
                // An I/O error here is the writer's too, and it reports it; the WAL only grows until a round succeeds.
                wait = RetryAfterError;
            }
        }
    }
}
