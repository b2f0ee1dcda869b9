using MessagePack;

namespace Cortex.SyncProtocol;

/// <summary>One verdict per uploaded mutation, in upload order.</summary>
[MessagePackObject]
public sealed record UploadResult
{
    [Key(0)] public required IReadOnlyList<MutationVerdict> Verdicts { get; init; }
}
