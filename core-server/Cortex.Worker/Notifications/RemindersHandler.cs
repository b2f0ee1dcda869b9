using Cortex.Jobs;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Cortex.Worker.Notifications;

/// <summary>
/// Review-due reminders (a draft pending longer than <see cref="NotificationOptions.ReviewDueAfter"/> reminds its
/// reviewers, once) and due-soon reminders (an open task due within <see cref="NotificationOptions.DueSoonWithin"/>
/// reminds its assignee, once per due date). "Once" is the notification's dedup key, so overlapping runs are harmless.
/// </summary>
public sealed class RemindersHandler(
    NpgsqlDataSource dataSource, Recipients recipients, NotificationWriter writer, IOptions<NotificationOptions> options, ILogger<RemindersHandler> logger)
    : IJobHandler
{
    public const string JobKind = "notifications.reminders";
    private const int BatchSize = 500;

    public string Kind => JobKind;

    public async Task HandleAsync(JobContext job, CancellationToken cancellationToken = default)
    {
        var reviewDue = await ReviewDueAsync(cancellationToken);
        var dueSoon = await DueSoonAsync(cancellationToken);
        logger.RemindersSent(reviewDue, dueSoon);
    }

    private async Task<int> ReviewDueAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var drafts = await connection.QueryAsync<(string Id, string SubcortexId, string Kind, string? Title, string AuthorId)>(new CommandDefinition(
            """
            SELECT d.id, d.subcortex_id, d.kind, d.title, d.author_id FROM drafts d
            WHERE d.state = 'pending' AND d.created_at < now() - make_interval(secs => @seconds)
              AND NOT EXISTS (SELECT 1 FROM notifications n WHERE n.dedup_key = 'review-due:' || d.id)
            ORDER BY d.created_at LIMIT @limit
            """,
            new { seconds = options.Value.ReviewDueAfter.TotalSeconds, limit = BatchSize },
            cancellationToken: cancellationToken));
        var sent = 0;
        foreach (var draft in drafts)
        {
            var reviewers = await recipients.ReviewersAsync(draft.SubcortexId, draft.AuthorId, cancellationToken);
            sent += await writer.WriteAsync(
                [.. reviewers.Select(reviewer => new NewNotification(
                    reviewer, NotificationKinds.ReviewDue, "draft", draft.Id, draft.SubcortexId, null,
                    FanoutHandler.DraftTitle(draft.Title, draft.Kind), $"review-due:{draft.Id}"))],
                cancellationToken);
        }

        return sent;
    }

    private async Task<int> DueSoonAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var tasks = await connection.QueryAsync<(string Id, string SubcortexId, string Title, string AssigneeId, string DedupKey)>(new CommandDefinition(
            """
            SELECT t.id, t.subcortex_id, t.title, t.assignee_id, k.dedup_key FROM tasks t
            CROSS JOIN LATERAL (SELECT 'task-due-soon:' || t.id || ':' || extract(epoch FROM t.due_at)::bigint AS dedup_key) k
            WHERE t.state IN ('open', 'inprogress', 'blocked') AND t.assignee_id IS NOT NULL
              AND t.due_at IS NOT NULL AND t.due_at <= now() + make_interval(secs => @seconds)
              AND NOT EXISTS (SELECT 1 FROM notifications n WHERE n.principal_id = t.assignee_id AND n.dedup_key = k.dedup_key)
            ORDER BY t.due_at LIMIT @limit
            """,
            new { seconds = options.Value.DueSoonWithin.TotalSeconds, limit = BatchSize },
            cancellationToken: cancellationToken));
        var reminders = new List<NewNotification>();
        foreach (var task in tasks)
        {
            if (await recipients.CanReadAsync(task.AssigneeId, task.SubcortexId, cancellationToken))
            {
                reminders.Add(new NewNotification(
                    task.AssigneeId, NotificationKinds.TaskDueSoon, "task", task.Id, task.SubcortexId, null, task.Title, task.DedupKey));
            }
        }

        return await writer.WriteAsync(reminders, cancellationToken);
    }
}
