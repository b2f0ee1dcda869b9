using MessagePack;

namespace Cortex.SyncProtocol;

/// <summary>
/// Access shrank: drop these entities and scopes (with their document bodies) now. The server stops feeding them from
/// <see cref="AtPosition"/> on; it restores regained access by an epoch reset, never by re-feeding old positions.
/// </summary>
[MessagePackObject]
public sealed record PurgeInstruction
{
    [Key(0)] public required long Epoch { get; init; }
    [Key(1)] public required long AtPosition { get; init; }
    [Key(2)] public IReadOnlyList<EntityRef> Entities { get; init; } = [];
    [Key(3)] public IReadOnlyList<PurgeScope> Scopes { get; init; } = [];
    [Key(4)] public string? Reason { get; init; }
}
