namespace Cortex.Replica;

/// <summary>
/// pending → sent → accepted | draft | rejected. A sent item without an answer (connection lost, answer timed out)
/// returns to pending with backoff; decided states are final.
/// </summary>
public enum OutboxState
{
    Pending,
    Sent,
    Accepted,
    Draft,
    Rejected,
}

public sealed record OutboxItem(
    string ClientId,
    string Kind,
    string? TargetEntity,
    string? TargetId,
    byte[] Payload,
    long? BaseVersion,
    DateTimeOffset CreatedAt,
    OutboxState State,
    int Attempts,
    DateTimeOffset NextAttemptAt,
    string? LastError,
    long? VisibleAt,
    string? EntityId,
    string? DraftId,
    string? ReasonCode,
    string? ReasonMessage,
    DateTimeOffset? DecidedAt);

public enum LocalWriteVisibility
{
    /// <summary>Not yet decided by the server: show it locally, marked pending.</summary>
    Pending,
    /// <summary>Accepted (or made a draft) at a feed position the replica has not reached: keep showing the local copy.</summary>
    AwaitingFeed,
}

public sealed record LocalWrite(OutboxItem Item, LocalWriteVisibility Visibility);

/// <summary>Reason codes the replica gives itself (the server's are in <c>RejectionReasons</c>).</summary>
public static class OutboxReasons
{
    /// <summary>The write failed to get any answer <see cref="OutboxOptions.MaxAttempts"/> times.</summary>
    public const string Undeliverable = "undeliverable";

    /// <summary>The replica switched to another principal before the write was decided.</summary>
    public const string PrincipalChanged = "principal_changed";
}

public sealed record OutboxSummary(int Depth, DateTimeOffset? OldestPendingCreatedAt, IReadOnlyDictionary<OutboxState, int> CountsByState);
