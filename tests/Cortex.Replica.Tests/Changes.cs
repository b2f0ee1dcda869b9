using System.Text;
using Cortex.SyncProtocol;

namespace Cortex.Replica.Tests;

/// <summary>Terse builders for feed messages.</summary>
internal static class Changes
{
    public static EntityChange Upsert(long position, string entity, string id, string json, string? subcortex = "sc-1", long version = 1, float[]? embedding = null) => new()
    {
        Position = position,
        Entity = entity,
        EntityId = id,
        Operation = ChangeOperation.Upsert,
        Version = version,
        SubcortexId = subcortex,
        Payload = Encoding.UTF8.GetBytes(json),
        Embedding = embedding,
    };

    public static EntityChange Thread(long position, string id, string title = "a title", string subcortex = "sc-1", long version = 1) =>
        Upsert(position, "thread", id, $$"""{"id":"{{id}}","title":"{{title}}","kind":"Question","authorId":"p-1"}""", subcortex, version);

    public static EntityChange Delete(long position, string entity, string id, long version = 2) => new()
    {
        Position = position,
        Entity = entity,
        EntityId = id,
        Operation = ChangeOperation.Delete,
        Version = version,
    };

    public static ChangeBatch Batch(long after, long upTo, params EntityChange[] changes) => Batch(1, after, upTo, changes);

    public static ChangeBatch Batch(long epoch, long after, long upTo, params EntityChange[] changes) => new()
    {
        Epoch = epoch,
        After = after,
        UpTo = upTo,
        Changes = changes,
        Head = upTo,
    };
}
