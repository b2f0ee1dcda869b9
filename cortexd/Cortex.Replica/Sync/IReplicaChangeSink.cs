using Microsoft.Data.Sqlite;

namespace Cortex.Replica;

/// <summary>
/// Called inside the replica's write transaction after rows changed and before the cursor moves and the transaction
/// commits. An index kept here (FTS5, sqlite-vec) commits or rolls back together with the rows and the cursor.
/// Throwing aborts the whole apply. Use the transaction's connection; do not commit it.
/// </summary>
public interface IReplicaChangeSink
{
    void OnChanges(ReplicaChangeSet changes, SqliteTransaction transaction);
}

/// <summary>What one transaction changed. <see cref="Cleared"/> means every synced item was dropped (epoch reset, or the
/// principal changed) before <see cref="Upserted"/> and <see cref="Deleted"/>, which are then empty.</summary>
public sealed record ReplicaChangeSet
{
    public bool Cleared { get; init; }

    public IReadOnlyList<ReplicaItem> Upserted { get; init; } = [];

    public IReadOnlyList<ReplicaItemKey> Deleted { get; init; } = [];

    /// <summary>Document bodies whose materialized text changed.</summary>
    public IReadOnlyList<DocumentText> Documents { get; init; } = [];

    /// <summary>Set on applied sync batches while the server says the replica is bootstrapping (it connected with cursor 0).</summary>
    public bool Bootstrapping { get; init; }

    /// <summary>Set on the applied sync batch that reached the feed head as the server read it (nothing more to pull then).
    /// The sink is called for such a batch even when it changed nothing, so bulk work deferred until now can finish.</summary>
    public bool CaughtUp { get; init; }

    public bool IsEmpty => !Cleared && Upserted.Count == 0 && Deleted.Count == 0 && Documents.Count == 0;
}

public sealed record ReplicaItemKey(string Entity, string Id);

/// <summary>An item as stored; <see cref="Searchable"/> says whether it belongs in the search index.</summary>
public sealed record ReplicaItem(string Entity, string Id, long Version, long Position, string? SubcortexId, string Json, float[]? Embedding)
{
    public bool Searchable => EntityTables.IsSearchable(Entity);
}

public sealed record DocumentText(string DocumentId, string? Text);
