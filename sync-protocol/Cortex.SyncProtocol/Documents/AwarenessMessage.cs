using MessagePack;

namespace Cortex.SyncProtocol;

/// <summary>Presence on a document: a y-protocols awareness update (<c>encodeAwarenessUpdate</c>), relayed by the
/// server to the document's other subscribers.</summary>
[MessagePackObject]
public sealed record AwarenessMessage
{
    [Key(0)] public required string DocumentId { get; init; }
    [Key(1)] public required byte[] Payload { get; init; }
}
