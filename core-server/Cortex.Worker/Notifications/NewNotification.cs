namespace Cortex.Worker.Notifications;

/// <summary>
/// A notification to create. <see cref="DedupKey"/> names the source event (e.g. <c>mention:comment:&lt;id&gt;</c>): a
/// principal gets one notification per key, however often the fan-out runs.
/// </summary>
public sealed record NewNotification(
    string PrincipalId,
    string Kind,
    string SubjectEntity,
    string SubjectId,
    string? SubcortexId,
    string? ActorId,
    string Title,
    string DedupKey);

/// <summary>The stored kinds (see the CHECK in 0600); the server's enum reads them as taskAssigned, mention, …, draftDecided.</summary>
public static class NotificationKinds
{
    public const string TaskAssigned = "taskassigned";
    public const string Mention = "mention";
    public const string ReviewRequested = "reviewrequested";
    public const string ReviewDue = "reviewdue";
    public const string TaskDueSoon = "taskduesoon";
    public const string DraftDecided = "draftdecided";
}
