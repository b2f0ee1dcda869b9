using MessagePack;

namespace Cortex.SyncProtocol;

/// <summary>How far an initial bootstrap has come; the total is an estimate because the feed keeps growing.</summary>
[MessagePackObject]
public sealed record BootstrapProgress
{
    [Key(0)] public required long ItemsSent { get; init; }
    [Key(1)] public required long TotalEstimate { get; init; }
}
