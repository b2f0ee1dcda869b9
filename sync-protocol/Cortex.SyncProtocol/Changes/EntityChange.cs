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
    /// <summary>The server-computed embedding (all-MiniLM-L6-v2, 384 floats) of searchable entities, when ready. Sent
    /// to replicas of protocol 1; later ones get <see cref="PackedEmbedding"/> instead.</summary>
    [Key(7)] public float[]? Embedding { get; init; }
    [Key(8)] public long CommittedAtUnixMs { get; init; }
    /// <summary>Protocol 2: the same embedding as bytes (<see cref="SyncProtocol.PackedEmbedding"/>, 1,536 for 384
    /// floats): one copy each way instead of 384 encoded and decoded floats, and a fifth fewer bytes.</summary>
    [Key(9)] public byte[]? PackedEmbedding { get; init; }

    /// <summary>The embedding, whichever way it was sent.</summary>
    /// <exception cref="ArgumentException">a packed embedding that is not a whole number of floats.</exception>
    public float[]? EmbeddingVector() => Embedding ?? (PackedEmbedding is { } packed ? SyncProtocol.PackedEmbedding.Unpack(packed) : null);
}
