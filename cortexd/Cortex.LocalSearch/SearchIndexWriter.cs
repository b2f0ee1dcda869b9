using Microsoft.Data.Sqlite;

namespace Cortex.LocalSearch;

/// <summary>
/// The writes of <see cref="SearchIndex"/> with their statements prepared once for a transaction. Preparing the upsert
/// compiles the table's triggers too (FTS5, the vector log, the counters), which costs several times the write itself;
/// a sync batch of a thousand items prepares it once instead of a thousand times.
/// </summary>
public sealed class SearchIndexWriter : IDisposable
{
    private static readonly string[] UpsertParameters =
    [
        "$id", "$kind", "$subcortex", "$parentId", "$title", "$body", "$trust", "$stale", "$quarantined", "$contradiction",
        "$pending", "$reviewDue", "$updated", "$embedding",
    ];

    private readonly SqliteTransaction _transaction;
    private SqliteCommand? _upsert;
    private SqliteCommand? _delete;
    private SqliteCommand? _childTitles;

    public SearchIndexWriter(SqliteTransaction transaction)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        _transaction = transaction;
    }

    /// <summary>Inserts the item or replaces the row with the same id.</summary>
    public void Upsert(SearchItem item)
    {
        SearchIndex.Validate(item);
        var command = _upsert ??= Prepare(SearchIndex.UpsertSql, UpsertParameters);
        var values = command.Parameters;
        values["$id"].Value = item.Id;
        values["$kind"].Value = item.Kind.ToText();
        values["$subcortex"].Value = item.Subcortex;
        values["$parentId"].Value = (object?)item.ParentId ?? DBNull.Value;
        values["$title"].Value = item.Title;
        values["$body"].Value = item.Body;
        values["$trust"].Value = item.Trust.ToText();
        values["$stale"].Value = item.Stale;
        values["$quarantined"].Value = item.Quarantined;
        values["$contradiction"].Value = item.Contradiction;
        values["$pending"].Value = item.Pending;
        values["$reviewDue"].Value = item.ReviewDue is { } due ? due.ToUnixTimeMilliseconds() : DBNull.Value;
        values["$updated"].Value = item.Updated.ToUnixTimeMilliseconds();
        values["$embedding"].Value = item.Embedding is { } vector ? VectorBlob.ToBlob(vector) : DBNull.Value;
        command.ExecuteNonQuery();
    }

    /// <summary>Removes an item; returns false when no item had that id.</summary>
    public bool Delete(string id)
    {
        var command = _delete ??= Prepare("DELETE FROM search_item WHERE id = $id", "$id");
        command.Parameters["$id"].Value = id;
        return command.ExecuteNonQuery() > 0;
    }

    /// <summary>Copies a parent's new title onto its children of <paramref name="kind"/> (comments of a thread, versions of an artifact).</summary>
    public void SetChildTitles(string parentId, SearchItemKind kind, string title)
    {
        var command = _childTitles ??= Prepare(
            "UPDATE search_item SET title = $title WHERE parent_id = $parentId AND kind = $kind AND title <> $title", "$title", "$parentId", "$kind");
        command.Parameters["$title"].Value = title;
        command.Parameters["$parentId"].Value = parentId;
        command.Parameters["$kind"].Value = kind.ToText();
        command.ExecuteNonQuery();
    }

    public void Dispose()
    {
        _upsert?.Dispose();
        _delete?.Dispose();
        _childTitles?.Dispose();
    }

    private SqliteCommand Prepare(string sql, params string[] parameters)
    {
        var connection = _transaction.Connection
            ?? throw new InvalidOperationException("The transaction has already been committed or rolled back.");
        var command = connection.CreateCommand();
        command.Transaction = _transaction;
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            command.Parameters.Add(new SqliteParameter(name, DBNull.Value));
        }

        command.Prepare();
        return command;
    }
}
