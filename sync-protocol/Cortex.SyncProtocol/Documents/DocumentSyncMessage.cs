using MessagePack;

namespace Cortex.SyncProtocol;

/// <summary>One y-protocols sync message about the document <see cref="DocumentId"/> (the id of the entity whose
/// body it is). The payload bytes are Yjs-encoded, untouched by MessagePack beyond framing.</summary>
[MessagePackObject]
public sealed record DocumentSyncMessage
{
    [Key(0)] public required string DocumentId { get; init; }
    [Key(1)] public required DocumentMessageKind Kind { get; init; }
    [Key(2)] public required byte[] Payload { get; init; }
}
