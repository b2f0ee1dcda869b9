using Cortex.Jobs;
using Dapper;
using Npgsql;

namespace Cortex.Worker.Notifications;

/// <summary>One change-feed entry that may notify someone; <see cref="Position"/> identifies the source event.</summary>
public sealed record FanoutPayload(string Entity, string EntityId, string Operation, long Position);

/// <summary>
/// Turns one change into notifications: task assignments, <c>@handle</c> mentions in tasks, threads and comments,
/// review requests for pending drafts and the decision on a draft for its author. Reads the item's current state, so a replay after later edits notifies about what
/// the item says now; the dedup keys make every run after the first a no-op.
/// </summary>
public sealed class FanoutHandler(NpgsqlDataSource dataSource, Recipients recipients, NotificationWriter writer) : JobHandler<FanoutPayload>
{
    public const string JobKind = "notifications.fan-out";

    public override string Kind => JobKind;

    protected override async Task HandleAsync(FanoutPayload payload, JobContext job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(payload);
        var notifications = payload.Entity switch
        {
            "task" => await ForTaskAsync(payload.EntityId, cancellationToken),
            "thread" => await ForTextAsync(
                "SELECT t.id, t.subcortex_id AS SubcortexId, t.title, t.title || E'\\n\\n' || t.body AS body, t.author_id AS ActorId FROM threads t WHERE t.id = @id",
                "thread", payload.EntityId, cancellationToken),
            "comment" => await ForTextAsync(
                """
                SELECT c.id, t.subcortex_id AS SubcortexId, t.title, c.body, c.author_id AS ActorId
                FROM comments c JOIN threads t ON t.id = c.thread_id WHERE c.id = @id
                """,
                "comment", payload.EntityId, cancellationToken),
            "draft" => await ForDraftAsync(payload.EntityId, cancellationToken),
            _ => [],
        };
        await writer.WriteAsync(notifications, cancellationToken);
    }

    private async Task<List<NewNotification>> ForTaskAsync(string id, CancellationToken cancellationToken)
    {
        var task = await QuerySingleAsync<TaskRow>(
            """
            SELECT id, subcortex_id AS SubcortexId, title, description, assignee_id AS AssigneeId, assigned_by AS AssignedBy,
                   assigned_version AS AssignedVersion, updated_by AS UpdatedBy
            FROM tasks WHERE id = @id
            """,
            id,
            cancellationToken);
        if (task is null)
        {
            return [];
        }

        var notifications = await MentionsAsync(
            "task", task.Id, task.SubcortexId, task.Title, WithTitle(task.Title, task.Description), task.UpdatedBy, cancellationToken);
        // Assigning a task to oneself needs no notice; nor does an assignee who lost access to the subcortex since.
        if (task.AssigneeId is { } assignee && assignee != task.AssignedBy
            && await recipients.CanReadAsync(assignee, task.SubcortexId, cancellationToken))
        {
            notifications.Add(new NewNotification(
                assignee, NotificationKinds.TaskAssigned, "task", task.Id, task.SubcortexId, task.AssignedBy, task.Title,
                $"task-assigned:{task.Id}:{task.AssignedVersion}"));
        }

        return notifications;
    }

    private async Task<List<NewNotification>> ForTextAsync(string sql, string entity, string id, CancellationToken cancellationToken)
    {
        var item = await QuerySingleAsync<TextRow>(sql, id, cancellationToken);
        return item is null
            ? []
            : await MentionsAsync(entity, item.Id, item.SubcortexId, item.Title, item.Body, item.ActorId, cancellationToken);
    }

    private async Task<List<NewNotification>> ForDraftAsync(string id, CancellationToken cancellationToken)
    {
        var draft = await QuerySingleAsync<DraftRow>(
            """
            SELECT id, subcortex_id AS SubcortexId, kind, title, author_id AS AuthorId, state, reviewed_by AS ReviewedBy
            FROM drafts WHERE id = @id
            """,
            id,
            cancellationToken);
        if (draft is null)
        {
            return [];
        }

        var title = DraftTitle(draft.Title, draft.Kind);
        if (draft.State != "pending")
        {
            // The decision goes to the author, unless the author lost access to the subcortex meanwhile.
            return draft.ReviewedBy is { } decidedBy && await recipients.CanReadAsync(draft.AuthorId, draft.SubcortexId, cancellationToken)
                ? [new NewNotification(
                    draft.AuthorId, NotificationKinds.DraftDecided, "draft", draft.Id, draft.SubcortexId, decidedBy, title, $"draft-decided:{draft.Id}")]
                : [];
        }

        var reviewers = await recipients.ReviewersAsync(draft.SubcortexId, draft.AuthorId, cancellationToken);
        return [.. reviewers.Select(reviewer => new NewNotification(
            reviewer, NotificationKinds.ReviewRequested, "draft", draft.Id, draft.SubcortexId, draft.AuthorId, title, $"review-requested:{draft.Id}"))];
    }

    // A title is one line of prose: "@alice: rotate the keys" as a task title mentions too.
    private static string WithTitle(string title, string body) => title + "\n\n" + body;

    internal static string DraftTitle(string? title, string kind) => title ?? kind switch
    {
        "comment" => "A comment awaiting review",
        "artifactversion" => "An artifact version awaiting review",
        _ => "A draft awaiting review",
    };

    private async Task<List<NewNotification>> MentionsAsync(
        string entity, string id, string subcortexId, string title, string markdown, string? actorId, CancellationToken cancellationToken)
    {
        var handles = MentionParser.Parse(markdown);
        var mentioned = await recipients.MentionedAsync(handles, subcortexId, actorId, cancellationToken);
        return [.. mentioned.Select(principal => new NewNotification(
            principal, NotificationKinds.Mention, entity, id, subcortexId, actorId, title, $"mention:{entity}:{id}"))];
    }

    private async Task<T?> QuerySingleAsync<T>(string sql, string id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<T>(new CommandDefinition(sql, new { id }, cancellationToken: cancellationToken));
    }

    private sealed record TaskRow(
        string Id, string SubcortexId, string Title, string Description, string? AssigneeId, string? AssignedBy, long? AssignedVersion, string UpdatedBy);

    private sealed record TextRow(string Id, string SubcortexId, string Title, string Body, string ActorId);

    private sealed record DraftRow(string Id, string SubcortexId, string Kind, string? Title, string AuthorId, string State, string? ReviewedBy);
}
