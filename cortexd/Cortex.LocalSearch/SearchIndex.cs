using Microsoft.Data.Sqlite;

namespace Cortex.LocalSearch;

/// <summary>
/// Writes to the replica's search tables inside the caller's transaction, so that sync can apply a batch
/// and move its cursor atomically. The triggers in <see cref="SearchSchema"/> keep FTS5 and sqlite-vec in step.
/// </summary>
public static class SearchIndex
{
    internal const string UpsertSql = """
        INSERT INTO search_item (id, kind, subcortex, parent_id, title, body, trust, stale, quarantined, contradiction,
                                 pending, review_due, updated, embedding)
        VALUES ($id, $kind, $subcortex, $parentId, $title, $body, $trust, $stale, $quarantined, $contradiction,
                $pending, $reviewDue, $updated, $embedding)
        ON CONFLICT (id) DO UPDATE SET
            kind = excluded.kind, subcortex = excluded.subcortex, parent_id = excluded.parent_id,
            title = excluded.title, body = excluded.body, trust = excluded.trust, stale = excluded.stale,
            quarantined = excluded.quarantined, contradiction = excluded.contradiction, pending = excluded.pending,
            review_due = excluded.review_due, updated = excluded.updated, embedding = excluded.embedding
        """;

    /// <summary>Inserts the item or replaces the row with the same id. Many writes: <see cref="SearchIndexWriter"/>.</summary>
    public static void Upsert(SqliteTransaction transaction, SearchItem item)
    {
        using var writer = new SearchIndexWriter(transaction);
        writer.Upsert(item);
    }

    /// <summary>Removes an item; returns false when no item had that id.</summary>
    public static bool Delete(SqliteTransaction transaction, string id)
    {
        using var writer = new SearchIndexWriter(transaction);
        return writer.Delete(id);
    }

    internal static void Validate(SearchItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentException.ThrowIfNullOrEmpty(item.Id);
    }

    /// <summary>Sets or clears quarantine without resending the item; returns false when no item had that id.</summary>
    public static bool SetQuarantined(SqliteTransaction transaction, string id, bool quarantined)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        using var command = CreateCommand(transaction, "UPDATE search_item SET quarantined = $quarantined WHERE id = $id");
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$quarantined", quarantined);
        return command.ExecuteNonQuery() > 0;
    }

    /// <summary>Removes everything in a subcortex, for when the server says the replica may no longer hold it.</summary>
    public static int PurgeSubcortex(SqliteTransaction transaction, string subcortex)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        using var command = CreateCommand(transaction, "DELETE FROM search_item WHERE subcortex = $subcortex");
        command.Parameters.AddWithValue("$subcortex", subcortex);
        return command.ExecuteNonQuery();
    }

    /// <summary>Ids of local writes not yet accepted by the server.</summary>
    public static IReadOnlyList<string> PendingIds(SqliteConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id FROM search_item WHERE pending = 1 ORDER BY id";
        using var reader = command.ExecuteReader();
        var ids = new List<string>();
        while (reader.Read())
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    private static SqliteCommand CreateCommand(SqliteTransaction transaction, string sql)
    {
        var connection = transaction.Connection
            ?? throw new InvalidOperationException("The transaction has already been committed or rolled back.");
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }
}
