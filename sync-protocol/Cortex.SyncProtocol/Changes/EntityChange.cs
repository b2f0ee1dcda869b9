using MessagePack;

namespace Cortex.SyncProtocol;

/// <summary>
/// One entity's new state at a feed position. <see cref="Entity"/> is a feed entity name (see
/// <c>Cortex.SharedModel.Feed.EntityNames</c>); <see cref="Payload"/> is the entity as UTF-8 JSON in the REST API's
/// camelCase shape, absent for deletes.
/// </summary>
[MessagePackObject]
public sealed record EntityChange
{
    [Key(0)] public required long Position { get; init; }
    [Key(1)] public required string Entity { get; init; }
    [Key(2)] public required string EntityId { get; init; }
    [Key(3)] public required ChangeOperation Operation { get; init; }
    [Key(4)] public required long Version { get; init; }
    /// <summary>The subcortex whose visibility governs the entity (the scope purges name); null for global entities.</summary>
    [Key(5)] public string? SubcortexId { get; init; }
    [Key(6)] public byte[]? Payload { get; init; }
    /// <summary>The server-computed embedding (all-MiniLM-L6-v2, 384 floats) of searchable entities, when ready.</summary>
    [Key(7)] public float[]? Embedding { get; init; }
    [Key(8)] public long CommittedAtUnixMs { get; init; }
}
