using Cortex.SyncProtocol;
using Microsoft.Data.Sqlite;

namespace Cortex.Replica;

public sealed partial class ReplicaStore
{
    /// <summary>
    /// Drops the instruction's entities and scopes, with their document bodies, in one transaction, and fences them off
    /// from batches below the purge's position. Purging what the replica does not hold is not an error.
    /// </summary>
    /// <exception cref="EpochMismatchException">the purge is for another epoch.</exception>
    public PurgeResult Purge(PurgeInstruction purge)
    {
        ArgumentNullException.ThrowIfNull(purge);
        lock (_db.Gate)
        {
            using var transaction = _db.Begin();
            var state = ReadState(transaction);
            if (purge.Epoch != state.Epoch)
            {
                throw new EpochMismatchException(state.Epoch, purge.Epoch);
            }

            var deleted = new HashSet<ReplicaItemKey>();
            foreach (var entity in purge.Entities)
            {
                var table = EntityTables.Find(entity.Entity);
                var sql = table is null
                    ? "DELETE FROM other_entities WHERE entity = $e AND id = $s RETURNING entity, id"
                    : $"DELETE FROM {table.Table} WHERE id = $s RETURNING '{table.Entity}', id";
                DeleteReturning(sql, transaction, entity.Entity, entity.EntityId, deleted);
            }

            foreach (var scope in purge.Scopes)
            {
                PurgeScope(scope, transaction, deleted);
            }

            var documents = 0;
            foreach (var key in deleted)
            {
                documents += DocumentLog.DeleteDocument(_db, transaction, key.Id);
            }

            if (purge.AtPosition > state.Cursor)
            {
                PurgeFences.Add(_db, transaction, purge);
            }

            if (deleted.Count > 0)
            {
                _options.ChangeSink?.OnChanges(new ReplicaChangeSet { Deleted = [.. deleted] }, transaction);
            }

            transaction.Commit();
            return new PurgeResult(deleted.Count, documents);
        }
    }

    private void PurgeScope(PurgeScope scope, SqliteTransaction transaction, HashSet<ReplicaItemKey> deleted)
    {
        if (scope.Kind == PurgeScopeKind.Subcortex)
        {
            foreach (var table in EntityTables.All)
            {
                var self = table.Entity == "subcortex" ? " OR id = $s" : "";
                DeleteReturning($"DELETE FROM {table.Table} WHERE subcortex_id = $s{self} RETURNING '{table.Entity}', id", transaction, "", scope.Id, deleted);
            }

            DeleteReturning("DELETE FROM other_entities WHERE subcortex_id = $s RETURNING entity, id", transaction, "", scope.Id, deleted);
        }
        else
        {
            var table = EntityTables.Find(scope.Id);
            DeleteReturning(table is null
                ? "DELETE FROM other_entities WHERE entity = $e RETURNING entity, id"
                : $"DELETE FROM {table.Table} RETURNING '{table.Entity}', id", transaction, scope.Id, "", deleted);
        }
    }

    private void DeleteReturning(string sql, SqliteTransaction transaction, string entity, string id, HashSet<ReplicaItemKey> deleted)
    {
        using var command = _db.Command(sql, transaction, ("$e", entity), ("$s", id));
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            deleted.Add(new ReplicaItemKey(reader.GetString(0), reader.GetString(1)));
        }
    }
}
