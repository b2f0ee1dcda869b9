using System.Runtime.InteropServices;
using System.Text;
using Cortex.SyncProtocol;
using Microsoft.Data.Sqlite;

namespace Cortex.Replica;

/// <summary>Writes one batch's changes with one prepared command per table, and remembers each item's final state for
/// the change sink (an item upserted then deleted in the same batch is reported deleted only).</summary>
internal sealed class ChangeWriter(ReplicaDb db, SqliteTransaction transaction, bool storeEmbeddings) : IDisposable
{
    private readonly Dictionary<string, PreparedWrite> _commands = new(StringComparer.Ordinal);
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
            Bind(delete, change, json: null, embedding: null);
            delete.Command.ExecuteNonQuery();
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
            var embedding = change.EmbeddingVector();
            Bind(upsert, change, json, storeEmbeddings ? EmbeddingBytes(embedding) : null);
            upsert.Command.ExecuteNonQuery();
            _final[key] = new ReplicaItem(change.Entity, change.EntityId, change.Version, change.Position, change.SubcortexId, json, embedding);
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
        foreach (var prepared in _commands.Values)
        {
            prepared.Dispose();
        }
    }

    internal static byte[]? EmbeddingBytes(float[]? embedding) =>
        embedding is null ? null : MemoryMarshal.AsBytes(embedding.AsSpan()).ToArray();

    private PreparedWrite Prepare(string name, Func<string> sql)
    {
        if (!_commands.TryGetValue(name, out var prepared))
        {
            prepared = new PreparedWrite(db.Command(sql(), transaction));
            _commands[name] = prepared;
        }

        return prepared;
    }

    private static void Bind(PreparedWrite write, EntityChange change, string? json, byte[]? embedding)
    {
        Set(write.Entity, change.Entity);
        Set(write.Id, change.EntityId);
        Set(write.Version, change.Version);
        Set(write.Position, change.Position);
        Set(write.Subcortex, change.SubcortexId);
        Set(write.Json, json);
        Set(write.Embedding, embedding);
    }

    private static void Set(SqliteParameter? parameter, object? value)
    {
        if (parameter is not null)
        {
            parameter.Value = value ?? DBNull.Value;
        }
    }

    /// <summary>A prepared statement and its parameters, bound by reference for every row of the batch.</summary>
    private sealed class PreparedWrite : IDisposable
    {
        public PreparedWrite(SqliteCommand command)
        {
            Command = command;
            Entity = Add("$entity");
            Id = Add("$id");
            Version = Add("$version");
            Position = Add("$position");
            Subcortex = Add("$subcortex");
            Json = Add("$json");
            Embedding = Add("$embedding");
            command.Prepare();
        }

        public SqliteCommand Command { get; }

        public SqliteParameter? Entity { get; }

        public SqliteParameter? Id { get; }

        public SqliteParameter? Version { get; }

        public SqliteParameter? Position { get; }

        public SqliteParameter? Subcortex { get; }

        public SqliteParameter? Json { get; }

        public SqliteParameter? Embedding { get; }

        public void Dispose() => Command.Dispose();

        private SqliteParameter? Add(string name) =>
            Command.CommandText.Contains(name, StringComparison.Ordinal) ? Command.Parameters.Add(new SqliteParameter(name, DBNull.Value)) : null;
    }
}
