namespace Cortex.CoreServer.Notifications;

/// <summary>
/// Something one principal should see, private to it. The JSON shape is the REST shape, the live push payload and the
/// change-feed payload the replica indexes (<c>principalId</c>, <c>kind</c>, <c>readAt</c>, <c>createdAt</c>).
/// </summary>
public sealed record Notification
{
    public required string Id { get; init; }
    public required string PrincipalId { get; init; }
    public required NotificationKind Kind { get; init; }

    /// <summary>The feed entity name of what the notification is about: <c>task</c>, <c>thread</c>, <c>comment</c>, <c>draft</c>.</summary>
    public required string SubjectEntity { get; init; }

    public required string SubjectId { get; init; }
    public string? SubcortexId { get; init; }

    /// <summary>Who caused it (the assigner, the author who mentioned, the draft's author); null for reminders.</summary>
    public string? ActorId { get; init; }

    /// <summary>A one-line summary, e.g. the task's or thread's title.</summary>
    public required string Title { get; init; }

    public DateTimeOffset? ReadAt { get; init; }
    public long Version { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}

public enum NotificationKind
{
    TaskAssigned,
    Mention,
    ReviewRequested,
    ReviewDue,
    TaskDueSoon,

    /// <summary>The author's draft was approved or rejected.</summary>
    DraftDecided,
}
