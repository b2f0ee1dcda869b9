using MessagePack;

namespace Cortex.SyncProtocol;

/// <summary>The replica must wipe its synced data (keeping its outbox) and bootstrap again at <see cref="NewEpoch"/>.</summary>
[MessagePackObject]
public sealed record EpochReset
{
    [Key(0)] public required long NewEpoch { get; init; }
    [Key(1)] public required string Reason { get; init; }
}
