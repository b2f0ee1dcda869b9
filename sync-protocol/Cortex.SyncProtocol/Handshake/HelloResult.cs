using MessagePack;

namespace Cortex.SyncProtocol;

[MessagePackObject]
public sealed record HelloResult
{
    [Key(0)] public required HelloStatus Status { get; init; }
    [Key(1)] public required int ServerProtocolVersion { get; init; }
    [Key(2)] public required int MinimumSupportedVersion { get; init; }
    /// <summary>The epoch the replica must hold; differs from the hello's only with <see cref="HelloStatus.ResetRequired"/>.</summary>
    [Key(3)] public long Epoch { get; init; }
    /// <summary>The highest position of the principal's feed below which nothing can still appear.</summary>
    [Key(4)] public long Head { get; init; }
    /// <summary>A message for humans (status output, logs) explaining any status other than accepted.</summary>
    [Key(5)] public string? Message { get; init; }
}
