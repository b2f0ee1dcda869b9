using MessagePack;

namespace Cortex.SyncProtocol;

/// <summary>Pushed when the principal's feed head moves; the replica answers by pulling after its cursor.</summary>
[MessagePackObject]
public sealed record HeadAdvanced
{
    [Key(0)] public required long Epoch { get; init; }
    [Key(1)] public required long Head { get; init; }
    [Key(2)] public long CommittedAtUnixMs { get; init; }
}
