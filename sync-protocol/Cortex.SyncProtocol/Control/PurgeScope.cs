using MessagePack;

namespace Cortex.SyncProtocol;

[MessagePackObject]
public sealed record PurgeScope
{
    [Key(0)] public required PurgeScopeKind Kind { get; init; }
    /// <summary>The subcortex id, or the entity name.</summary>
    [Key(1)] public required string Id { get; init; }
}
