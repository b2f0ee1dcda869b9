using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Cortex.LocalSearch;

/// <summary>
/// The writes of <see cref="SearchIndex"/> with their statements prepared once for a transaction. Preparing the upsert
/// compiles the table's triggers too (FTS5, the vector log, the counters), which costs several times the write itself;
/// a sync batch of a thousand items prepares it once instead of a thousand times. The upsert, the hot path of a
/// bootstrap, binds its fourteen values straight through SQLitePCL by position: Microsoft.Data.Sqlite's per-execution
/// parameter lookup and reader set-up cost about an eighth of the row's write (bench/README.md, session 5).
/// </summary>
public sealed class SearchIndexWriter : IDisposable
{
    private static readonly string[] UpsertParameters =
    [
        "$id", "$kind", "$subcortex", "$parentId", "$title", "$body", "$trust", "$stale", "$quarantined", "$contradiction",
        "$pending", "$reviewDue", "$updated", "$embedding",
    ];

    private readonly SqliteTransaction _transaction;
    private sqlite3_stmt? _upsert;
    private int[] _upsertIndexes = [];
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
        if (item.Embedding is { Length: not VectorBlob.Dimensions } wrong)
        {
            throw new ArgumentException($"Vectors have {VectorBlob.Dimensions} dimensions, not {wrong.Length}.", nameof(item));
        }

        var statement = _upsert ?? PrepareUpsert();
        var at = _upsertIndexes;
        BindText(statement, at[0], item.Id);
        BindText(statement, at[1], item.Kind.ToText());
        BindText(statement, at[2], item.Subcortex);
        BindText(statement, at[3], item.ParentId);
        BindText(statement, at[4], item.Title);
        BindText(statement, at[5], item.Body);
        BindText(statement, at[6], item.Trust.ToText());
        raw.sqlite3_bind_int(statement, at[7], item.Stale ? 1 : 0);
        raw.sqlite3_bind_int(statement, at[8], item.Quarantined ? 1 : 0);
        raw.sqlite3_bind_int(statement, at[9], item.Contradiction ? 1 : 0);
        raw.sqlite3_bind_int(statement, at[10], item.Pending ? 1 : 0);
        if (item.ReviewDue is { } due)
        {
            raw.sqlite3_bind_int64(statement, at[11], due.ToUnixTimeMilliseconds());
        }
        else
        {
            raw.sqlite3_bind_null(statement, at[11]);
        }

        raw.sqlite3_bind_int64(statement, at[12], item.Updated.ToUnixTimeMilliseconds());
        if (item.Embedding is { } vector)
        {
            raw.sqlite3_bind_blob(statement, at[13], MemoryMarshal.AsBytes(vector.AsSpan()));
        }
        else
        {
            raw.sqlite3_bind_null(statement, at[13]);
        }

        try
        {
            var result = raw.sqlite3_step(statement);
            if (result != raw.SQLITE_DONE)
            {
                SqliteException.ThrowExceptionForRC(result, Connection.Handle);
            }
        }
        finally
        {
            raw.sqlite3_reset(statement);
        }
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
        _upsert = null;
        _delete?.Dispose();
        _childTitles?.Dispose();
    }

    private SqliteConnection Connection => _transaction.Connection
        ?? throw new InvalidOperationException("The transaction has already been committed or rolled back.");

    private sqlite3_stmt PrepareUpsert()
    {
        var handle = Connection.Handle;
        var result = raw.sqlite3_prepare_v2(handle, SearchIndex.UpsertSql, out var statement);
        if (result != raw.SQLITE_OK)
        {
            statement.Dispose();
            SqliteException.ThrowExceptionForRC(result, handle);
        }

        _upsertIndexes = [.. UpsertParameters.Select(name => raw.sqlite3_bind_parameter_index(statement, name))];
        return _upsert = statement;
    }

    private static void BindText(sqlite3_stmt statement, int index, string? value)
    {
        if (value is null)
        {
            raw.sqlite3_bind_null(statement, index);
        }
        else
        {
            raw.sqlite3_bind_text(statement, index, value);
        }
    }

    private SqliteCommand Prepare(string sql, params string[] parameters)
    {
        var connection = Connection;
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
