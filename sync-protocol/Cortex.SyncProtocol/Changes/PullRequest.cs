using MessagePack;

namespace Cortex.SyncProtocol;

/// <summary>Asks for the changes after <see cref="After"/> (the replica's cursor), at most <see cref="MaxChanges"/>.</summary>
[MessagePackObject]
public sealed record PullRequest
{
    [Key(0)] public required long Epoch { get; init; }
    [Key(1)] public required long After { get; init; }
    [Key(2)] public required int MaxChanges { get; init; }
}
