using MessagePack;

namespace Cortex.SyncProtocol;

[MessagePackObject]
public sealed record EntityRef
{
    [Key(0)] public required string Entity { get; init; }
    [Key(1)] public required string EntityId { get; init; }
}
