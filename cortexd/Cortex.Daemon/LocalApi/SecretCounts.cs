using Microsoft.Data.Sqlite;

namespace Cortex.Daemon.LocalApi;

/// <summary>How many secrets of each kind the workspace's writes had redacted, kept in the replica file so every
/// writer (daemon, <c>cortex mcp</c>, the stop hook) adds to the same counts that <c>cortex status</c> shows.</summary>
internal static class SecretCounts
{
    private const string Ddl = "CREATE TABLE IF NOT EXISTS secret_redactions (kind TEXT PRIMARY KEY, findings INTEGER NOT NULL)";

    public static void Add(SqliteConnection connection, IReadOnlyDictionary<string, int> redacted)
    {
        if (redacted.Count == 0)
        {
            return;
        }

        using var transaction = connection.BeginTransaction();
        Execute(connection, transaction, Ddl);
        foreach (var (kind, count) in redacted)
        {
            Execute(connection, transaction,
                "INSERT INTO secret_redactions (kind, findings) VALUES ($k, $n) ON CONFLICT (kind) DO UPDATE SET findings = findings + excluded.findings",
                ("$k", kind), ("$n", count));
        }

        transaction.Commit();
    }

    public static SortedDictionary<string, long> Read(SqliteConnection connection)
    {
        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        using var exists = connection.CreateCommand();
        exists.CommandText = "SELECT count(*) FROM sqlite_master WHERE name = 'secret_redactions'";
        if ((long)exists.ExecuteScalar()! == 0)
        {
            return counts;
        }

        using var command = connection.CreateCommand();
        command.CommandText = "SELECT kind, findings FROM secret_redactions";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            counts[reader.GetString(0)] = reader.GetInt64(1);
        }

        return counts;
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction transaction, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        command.ExecuteNonQuery();
    }
}
