using MessagePack;

namespace Cortex.SyncProtocol;

/// <summary>The first call a replica makes on a connection. The server authenticates the key separately and checks
/// that <see cref="PrincipalId"/> matches it, so a replica never keeps another principal's data.</summary>
[MessagePackObject]
public sealed record Hello
{
    [Key(0)] public required int ProtocolVersion { get; init; }
    [Key(1)] public required string PrincipalId { get; init; }
    /// <summary>A ULID the replica picks once, when its SQLite file is created.</summary>
    [Key(2)] public required string ReplicaId { get; init; }
    /// <summary>The last feed position the replica has applied; 0 for an empty replica.</summary>
    [Key(3)] public required long Cursor { get; init; }
    [Key(4)] public required long Epoch { get; init; }
    /// <summary>Free text for logs and metrics, e.g. "cortexd/1.0.0".</summary>
    [Key(5)] public string? ClientName { get; init; }
}
