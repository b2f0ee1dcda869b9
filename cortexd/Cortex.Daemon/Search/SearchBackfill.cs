using Cortex.LocalSearch;
using Cortex.Replica;
using Microsoft.Data.Sqlite;

namespace Cortex.Daemon.Search;

/// <summary>
/// Fills an empty search index from the replica's rows, for a replica synced before it had one (the cursor is not
/// moved back, so nothing would otherwise bring those rows into the index).
/// </summary>
internal static class SearchBackfill
{
    public static void RunIfEmpty(SqliteConnection connection)
    {
        using var transaction = connection.BeginTransaction();
        if (Scalar(transaction, "SELECT count(*) FROM search_item WHERE pending = 0") > 0)
        {
            return;
        }

        var items = new List<ReplicaItem>();
        foreach (var table in EntityTables.All.Where(t => t.Searchable || t.Entity == "artifact"))
        {
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = $"SELECT id, version, position, subcortex_id, json, embedding FROM {table.Table}";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var embedding = reader.IsDBNull(5) ? null : System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>((byte[])reader.GetValue(5)).ToArray();
                items.Add(new ReplicaItem(table.Entity, reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2),
                    reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetString(4), embedding));
            }
        }

        if (items.Count > 0)
        {
            using (var writer = new SearchIndexWriter(transaction))
            {
                ReplicaSearchSink.Apply(items, transaction, writer);
            }

            transaction.Commit();
        }
    }

    private static long Scalar(SqliteTransaction transaction, string sql)
    {
        using var command = transaction.Connection!.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }
}
