using MessagePack;

namespace Cortex.SyncProtocol;

/// <summary>
/// The server's answer to <see cref="ISyncHub.SyncDocument"/>: the y-protocols two-way handshake in one round trip.
/// The client applies <see cref="Step2"/>, then pushes <c>encodeStateAsUpdate(doc, ServerStep1.Payload)</c> if it holds
/// edits the server lacks.
/// </summary>
[MessagePackObject]
public sealed record DocumentSyncAnswer
{
    /// <summary><see cref="DocumentMessageKind.SyncStep2"/>: what the client's state vector lacked.</summary>
    [Key(0)] public required DocumentSyncMessage Step2 { get; init; }

    /// <summary><see cref="DocumentMessageKind.SyncStep1"/>: the server's state vector.</summary>
    [Key(1)] public required DocumentSyncMessage ServerStep1 { get; init; }

    /// <summary>Whether the caller may push updates to this document.</summary>
    [Key(2)] public bool Writable { get; init; }

    /// <summary>Why the document is read-only for the caller; null when <see cref="Writable"/>.</summary>
    [Key(3)] public string? ReadOnlyReason { get; init; }
}
