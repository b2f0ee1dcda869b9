using MessagePack;

namespace Cortex.SyncProtocol;

/// <summary>
/// The principal's feed between <see cref="After"/> (exclusive) and <see cref="UpTo"/> (inclusive): every change in
/// that range the principal may read, in position order. <see cref="UpTo"/> may exceed the last change's position
/// because the feed is filtered; the replica moves its cursor to it. Ranges are what make gaps detectable.
/// </summary>
[MessagePackObject]
public sealed record ChangeBatch
{
    [Key(0)] public required long Epoch { get; init; }
    [Key(1)] public required long After { get; init; }
    [Key(2)] public required long UpTo { get; init; }
    [Key(3)] public required IReadOnlyList<EntityChange> Changes { get; init; }
    /// <summary>True when the server holds changes after <see cref="UpTo"/>; the replica pulls again at once.</summary>
    [Key(4)] public bool HasMore { get; init; }
    /// <summary>The feed's head when the batch was read, for lag in positions.</summary>
    [Key(5)] public long Head { get; init; }
    /// <summary>Present while the replica is bootstrapping (its cursor started at 0).</summary>
    [Key(6)] public BootstrapProgress? Progress { get; init; }
}
