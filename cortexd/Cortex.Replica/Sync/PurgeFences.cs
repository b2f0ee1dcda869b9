using Cortex.SyncProtocol;
using Microsoft.Data.Sqlite;

namespace Cortex.Replica;

/// <summary>
/// A purge takes effect at a feed position that may lie ahead of the cursor. Until the cursor passes it, changes
/// below that position to purged items or scopes may still arrive in batches; a fence keeps them out, so a purge can
/// never be undone by a late batch.
/// </summary>
internal sealed class PurgeFences
{
    private const string EntityKind = "entity";
    private const string SubcortexKind = "subcortex";
    private const string KindKind = "kind";

    private readonly Dictionary<(string Kind, string Key), long> _fences;

    private PurgeFences(Dictionary<(string Kind, string Key), long> fences) => _fences = fences;

    public static PurgeFences Load(ReplicaDb db, SqliteTransaction transaction)
    {
        var fences = new Dictionary<(string Kind, string Key), long>();
        using var command = db.Command("SELECT kind, key, at_position FROM purge_fences", transaction);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            fences[(reader.GetString(0), reader.GetString(1))] = reader.GetInt64(2);
        }

        return new PurgeFences(fences);
    }

    public bool Excludes(EntityChange change) =>
        _fences.Count > 0 && change.Operation == ChangeOperation.Upsert
        && (Below(EntityKind, EntityKey(change.Entity, change.EntityId), change.Position)
            || Below(KindKind, change.Entity, change.Position)
            || (change.SubcortexId is { } subcortex && Below(SubcortexKind, subcortex, change.Position))
            || (change.Entity == "subcortex" && Below(SubcortexKind, change.EntityId, change.Position)));

    public static void Add(ReplicaDb db, SqliteTransaction transaction, PurgeInstruction purge)
    {
        var fences = purge.Entities.Select(e => (EntityKind, EntityKey(e.Entity, e.EntityId)))
            .Concat(purge.Scopes.Select(s => (s.Kind == PurgeScopeKind.Subcortex ? SubcortexKind : KindKind, s.Id)));
        foreach (var (kind, key) in fences)
        {
            db.Execute("""
                INSERT INTO purge_fences (kind, key, at_position) VALUES ($k, $key, $at)
                ON CONFLICT (kind, key) DO UPDATE SET at_position = max(at_position, excluded.at_position)
                """, transaction, ("$k", kind), ("$key", key), ("$at", purge.AtPosition));
        }
    }

    public static void Retire(ReplicaDb db, SqliteTransaction transaction, long cursor) =>
        db.Execute("DELETE FROM purge_fences WHERE at_position <= $c", transaction, ("$c", cursor));

    private bool Below(string kind, string key, long position) =>
        _fences.TryGetValue((kind, key), out var at) && position < at;

    private static string EntityKey(string entity, string id) => entity + "\u001f" + id;
}
