using MessagePack;

namespace Cortex.SyncProtocol;

/// <summary>Mutations in client-id (creation) order; the server decides them in that order.</summary>
[MessagePackObject]
public sealed record OutboxUpload
{
    [Key(0)] public required IReadOnlyList<OutboxMutation> Mutations { get; init; }
}
