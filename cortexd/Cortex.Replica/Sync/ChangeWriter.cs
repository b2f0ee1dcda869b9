using System.Runtime.InteropServices;
using System.Text;
using Cortex.SyncProtocol;
using Microsoft.Data.Sqlite;

namespace Cortex.Replica;

/// <summary>Writes one batch's changes with one prepared command per table, and remembers each item's final state for
/// the change sink (an item upserted then deleted in the same batch is reported deleted only).</summary>
internal sealed class ChangeWriter(ReplicaDb db, SqliteTransaction transaction) : IDisposable
{
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);
    private readonly Dictionary<ReplicaItemKey, ReplicaItem?> _final = [];

    public int Written { get; private set; }

    public void Write(EntityChange change)
    {
        var table = EntityTables.Find(change.Entity);
        var key = new ReplicaItemKey(change.Entity, change.EntityId);
        if (change.Operation == ChangeOperation.Delete)
        {
            var delete = Prepare(table is null ? "delete:" : "delete:" + table.Table, () => table is null
                ? "DELETE FROM other_entities WHERE entity = $entity AND id = $id"
                : $"DELETE FROM {table.Table} WHERE id = $id");
            Bind(delete, change, json: null);
            delete.ExecuteNonQuery();
            DocumentLog.DeleteDocument(db, transaction, change.EntityId);
            _final[key] = null;
        }
        else
        {
            var json = Encoding.UTF8.GetString(change.Payload!);
            var upsert = Prepare(table is null ? "upsert:" : "upsert:" + table.Table, () => table is null
                ? """
                  INSERT INTO other_entities (entity, id, version, position, subcortex_id, json, embedding)
                  VALUES ($entity, $id, $version, $position, $subcortex, json($json), $embedding)
                  ON CONFLICT (entity, id) DO UPDATE SET version = excluded.version, position = excluded.position,
                      subcortex_id = excluded.subcortex_id, json = excluded.json, embedding = excluded.embedding
                  """
                : table.UpsertSql());
            Bind(upsert, change, json);
            upsert.ExecuteNonQuery();
            _final[key] = new ReplicaItem(change.Entity, change.EntityId, change.Version, change.Position, change.SubcortexId, json, change.Embedding);
        }

        Written++;
    }

    public ReplicaChangeSet ToChangeSet() => new()
    {
        Upserted = [.. _final.Values.OfType<ReplicaItem>()],
        Deleted = [.. _final.Where(p => p.Value is null).Select(p => p.Key)],
    };

    public void Dispose()
    {
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }
    }

    internal static byte[]? EmbeddingBytes(float[]? embedding) =>
        embedding is null ? null : MemoryMarshal.AsBytes(embedding.AsSpan()).ToArray();

    private SqliteCommand Prepare(string name, Func<string> sql)
    {
        if (!_commands.TryGetValue(name, out var command))
        {
            command = db.Command(sql(), transaction);
            foreach (var parameter in new[] { "$entity", "$id", "$version", "$position", "$subcortex", "$json", "$embedding" })
            {
                if (command.CommandText.Contains(parameter, StringComparison.Ordinal))
                {
                    command.Parameters.Add(new SqliteParameter(parameter, DBNull.Value));
                }
            }

            command.Prepare();
            _commands[name] = command;
        }

        return command;
    }

    private static void Bind(SqliteCommand command, EntityChange change, string? json)
    {
        Set(command, "$entity", change.Entity);
        Set(command, "$id", change.EntityId);
        Set(command, "$version", change.Version);
        Set(command, "$position", change.Position);
        Set(command, "$subcortex", change.SubcortexId);
        Set(command, "$json", json);
        Set(command, "$embedding", EmbeddingBytes(change.Embedding));
    }

    private static void Set(SqliteCommand command, string name, object? value)
    {
        if (command.Parameters.Contains(name))
        {
            command.Parameters[name].Value = value ?? DBNull.Value;
        }
    }
}
