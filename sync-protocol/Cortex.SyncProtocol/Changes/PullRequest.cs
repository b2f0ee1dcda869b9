using MessagePack;

namespace Cortex.SyncProtocol;

/// <summary>
/// Asks for the changes after <see cref="After"/>, at most <see cref="MaxChanges"/>. <see cref="Applied"/> is the
/// cursor the replica has actually applied; it is behind <see cref="After"/> when the replica asks for the next page
/// while still applying the last one (prefetch). Absent: the same as <see cref="After"/>. The server retires a purge
/// only once <see cref="Applied"/> has passed it.
/// </summary>
[MessagePackObject]
public sealed record PullRequest
{
    [Key(0)] public required long Epoch { get; init; }
    [Key(1)] public required long After { get; init; }
    [Key(2)] public required int MaxChanges { get; init; }
    [Key(3)] public long? Applied { get; init; }
}
