using System.Text.Json;
using Cortex.LocalSearch;
using Cortex.Replica;
using Microsoft.Data.Sqlite;

namespace Cortex.Daemon.Search;

/// <summary>
/// Keeps the search index in the replica's own transaction: every applied batch, purge, reset or document edit
/// updates <c>search_item</c> (and through its triggers FTS5 and the vector log) before the cursor moves, so the index
/// never shows what the replica no longer holds. An initial bootstrap is the exception: it writes <c>search_item</c>
/// alone, and its keyword index, counters and vector log are built in one pass when it catches up
/// (<see cref="SearchFtsDeferral"/>); search is incomplete until then. Local pending writes
/// (<c>pending = 1</c>) are not synced items and survive a reset; <see cref="PendingWriteIndex"/> owns them.
/// </summary>
internal sealed class ReplicaSearchSink : IReplicaChangeSink
{
    // Parents before children, so a comment or version finds its parent's title written in the same batch.
    private static readonly Dictionary<string, int> Order = new(StringComparer.Ordinal) { ["thread"] = 0, ["artifact"] = 0 };

    /// <summary>Options that load sqlite-vec and create the search tables on the replica's connections.</summary>
    public static ReplicaOptions ReplicaOptions(ReplicaOptions? baseOptions = null) => (baseOptions ?? new ReplicaOptions()) with
    {
        ChangeSink = new ReplicaSearchSink(),
        // search_item keeps each vector; a second copy in the entity rows doubled what a bootstrap wrote. Replicas made
        // before the index existed still hold theirs, which is all SearchBackfill needs.
        StoreEmbeddings = false,
        WriteConnectionOpened = connection =>
        {
            SqliteVec.Load(connection);
            SearchSchema.EnsureCreated(connection);
            SearchBackfill.RunIfEmpty(connection);
        },
        ReadConnectionOpened = SqliteVec.Load,
    };

    public void OnChanges(ReplicaChangeSet changes, SqliteTransaction transaction)
    {
        if (changes.Cleared)
        {
            Execute(transaction, "DELETE FROM search_item WHERE pending = 0");
        }

        // An initial bootstrap into an empty index builds FTS5 in one pass when it catches up (SearchFtsDeferral).
        if (changes.Bootstrapping && !SearchFtsDeferral.IsDeferred(transaction)
            && !Exists(transaction, "SELECT EXISTS (SELECT 1 FROM search_item WHERE pending = 0)"))
        {
            SearchFtsDeferral.Begin(transaction, TimeProvider.System.GetUtcNow());
        }

        using var writer = new SearchIndexWriter(transaction);
        foreach (var key in changes.Deleted)
        {
            writer.Delete(key.Id);
        }

        Apply(changes.Upserted, transaction, writer);
        foreach (var document in changes.Documents.Where(d => d.Text is not null))
        {
            Execute(transaction, "UPDATE search_item SET body = $text WHERE id = $id AND pending = 0", ("$id", document.DocumentId), ("$text", document.Text));
        }

        if (changes.CaughtUp)
        {
            SearchFtsDeferral.Complete(transaction);
        }
    }

    private static bool Exists(SqliteTransaction transaction, string sql)
    {
        using var command = transaction.Connection!.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return (long)command.ExecuteScalar()! == 1;
    }

    internal static void Apply(IEnumerable<ReplicaItem> items, SqliteTransaction transaction, SearchIndexWriter writer)
    {
        using var parents = new ParentTitles(transaction);
        foreach (var item in items.OrderBy(i => Order.GetValueOrDefault(i.Entity, 1)))
        {
            if (item.Entity is not ("thread" or "artifact") && !item.Searchable)
            {
                continue;
            }

            using var json = JsonDocument.Parse(item.Json);
            if (item.Entity is "thread" or "artifact" && SearchItemMapper.Text(json.RootElement, "title") is { } title)
            {
                writer.SetChildTitles(item.Id, item.Entity == "thread" ? SearchItemKind.Comment : SearchItemKind.Artifact, title);
            }

            if (!item.Searchable)
            {
                continue;
            }

            if (SearchItemMapper.Map(item, json.RootElement, parents) is { } searchItem)
            {
                writer.Upsert(searchItem);
            }
            else
            {
                writer.Delete(item.Id);
            }
        }
    }

    private static void Execute(SqliteTransaction transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = transaction.Connection!.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        command.ExecuteNonQuery();
    }
}
