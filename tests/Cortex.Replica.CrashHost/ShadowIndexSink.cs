using Microsoft.Data.Sqlite;

namespace Cortex.Replica.CrashHost;

/// <summary>
/// Stands in for the search index: mirrors every item into <c>shadow_index</c> through the apply transaction, so a test
/// can check that what the sink wrote commits and rolls back together with the rows and the cursor.
/// </summary>
public class ShadowIndexSink : IReplicaChangeSink
{
    public const string CreateTableSql = "CREATE TABLE IF NOT EXISTS shadow_index (entity TEXT NOT NULL, id TEXT NOT NULL, version INTEGER NOT NULL, PRIMARY KEY (entity, id))";

    public virtual void OnChanges(ReplicaChangeSet changes, SqliteTransaction transaction)
    {
        ArgumentNullException.ThrowIfNull(changes);
        ArgumentNullException.ThrowIfNull(transaction);
        Execute(transaction, CreateTableSql);
        if (changes.Cleared)
        {
            Execute(transaction, "DELETE FROM shadow_index");
        }

        foreach (var item in changes.Upserted)
        {
            Execute(transaction, "INSERT OR REPLACE INTO shadow_index (entity, id, version) VALUES ($e, $i, $v)",
                ("$e", item.Entity), ("$i", item.Id), ("$v", item.Version));
        }

        foreach (var key in changes.Deleted)
        {
            Execute(transaction, "DELETE FROM shadow_index WHERE entity = $e AND id = $i", ("$e", key.Entity), ("$i", key.Id));
        }
    }

    private static void Execute(SqliteTransaction transaction, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = transaction.Connection!.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        command.ExecuteNonQuery();
    }
}
