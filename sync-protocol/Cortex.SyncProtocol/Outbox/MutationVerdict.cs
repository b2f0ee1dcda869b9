using MessagePack;

namespace Cortex.SyncProtocol;

/// <summary>The server's final answer to one mutation, identical for every repeat of its client id.</summary>
[MessagePackObject]
public sealed record MutationVerdict
{
    [Key(0)] public required string ClientId { get; init; }
    [Key(1)] public required VerdictOutcome Outcome { get; init; }
    /// <summary>The feed position at which the effect (the item, or the draft) is visible; null for rejections.</summary>
    [Key(2)] public long? VisibleAt { get; init; }
    /// <summary>The id of the created or changed entity, when accepted.</summary>
    [Key(3)] public string? EntityId { get; init; }
    [Key(4)] public string? DraftId { get; init; }
    /// <summary>One of <see cref="RejectionReasons"/>, for rejections.</summary>
    [Key(5)] public string? ReasonCode { get; init; }
    [Key(6)] public string? Message { get; init; }
}
