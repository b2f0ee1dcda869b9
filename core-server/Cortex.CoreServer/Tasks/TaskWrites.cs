using Cortex.CoreServer.Auth;
using Cortex.CoreServer.Content;
using Cortex.CoreServer.Database;
using Cortex.CoreServer.Errors;
using Cortex.CoreServer.Feed;
using Cortex.CoreServer.Principals;
using Cortex.SharedModel.Authorization;
using Cortex.SharedModel.Content;
using Cortex.SharedModel.Principals;
using Dapper;
using FeedOperation = Cortex.SharedModel.Feed.ChangeOperation;

namespace Cortex.CoreServer.Tasks;

/// <summary>
/// Creating and updating tasks, shared by the REST API and the outbox mutation <c>task.update</c>. The caller has
/// loaded the subcortex or task and checked that it may read it; permission to write is checked here.
/// </summary>
internal static class TaskWrites
{
    public const string Entity = "task";

    public static async Task<CortexTask> CreateAsync(
        WriteSession session, Principal me, Subcortex subcortex, ContentAccess access, CreateTaskRequest request, CancellationToken cancellationToken)
    {
        me.Demand(CortexAction.CreateTask, access.Resource(ResourceKind.Subcortex, subcortex.CreatedBy));
        var errors = request.Validate(out var dueAt);
        if (!errors.IsValid)
        {
            throw CortexException.Invalid(errors.ToDictionary());
        }

        if (!access.AcceptsContent)
        {
            throw CortexException.Conflict($"The subcortex '{subcortex.Slug}' is {subcortex.State.ToString().ToLowerInvariant()} and takes no new tasks.");
        }

        if (request.AssigneeId is { } assigneeId)
        {
            await RequireAssignableAsync(session, assigneeId, subcortex.Id, access.IsPrivate, cancellationToken);
        }

        if (request.LinkKind is { } linkKind && !await TaskStore.LinkExistsAsync(session, linkKind, request.LinkId!, subcortex.Id, cancellationToken))
        {
            throw CortexException.Invalid("linkId", $"No {linkKind} with this id exists in the subcortex '{subcortex.Slug}'.");
        }

        var task = new NewTask(subcortex.Id, request.Title!, request.Description ?? "", request.AssigneeId, dueAt, request.LinkKind, request.LinkId);
        return await TaskStore.InsertAsync(session, task, me.Id, cancellationToken);
    }

    /// <summary>Updates <paramref name="current"/> if it is still at <paramref name="expectedVersion"/>; null when it moved on.</summary>
    public static async Task<CortexTask?> UpdateAsync(
        WriteSession session,
        Principal me,
        CortexTask current,
        ContentAccess access,
        UpdateTaskRequest request,
        long expectedVersion,
        CancellationToken cancellationToken)
    {
        // The owner of a task, for the permission matrix, is its assignee: agents update only the tasks assigned to them.
        me.Demand(CortexAction.UpdateTask, access.Resource(ResourceKind.Task, current.AssigneeId));
        var errors = (request with { Version = expectedVersion }).Validate(out var state, out var dueAt);
        if (!errors.IsValid)
        {
            throw CortexException.Invalid(errors.ToDictionary());
        }

        var assigneeId = request.AssigneeId is { Length: > 0 } id ? id : null;
        if (assigneeId is not null && assigneeId != current.AssigneeId)
        {
            await RequireAssignableAsync(session, assigneeId, current.SubcortexId, access.IsPrivate, cancellationToken);
        }

        var change = new TaskChange(
            request.Title, request.Description, state, request.AssigneeId is not null, assigneeId, request.DueAt is not null, dueAt);
        return await TaskStore.UpdateAsync(session, current.Id, expectedVersion, change, me.Id, cancellationToken);
    }

    public static PendingChange Change(CortexTask task, FeedOperation operation) =>
        new(Entity, task.Id, operation, task.Version, SubcortexId: task.SubcortexId);

    /// <summary>The assignee must be an enabled principal that could itself update the task (so not a reader, and a
    /// member of a private subcortex).</summary>
    private static async Task RequireAssignableAsync(
        WriteSession session, string assigneeId, string subcortexId, bool isPrivate, CancellationToken cancellationToken)
    {
        await session.BeginAsync(cancellationToken);
        var row = await session.Connection.QuerySingleOrDefaultAsync<Principal>(new CommandDefinition(
            $"SELECT {PrincipalStore.Columns} FROM principals WHERE id = @assigneeId",
            new { assigneeId },
            session.Transaction,
            cancellationToken: cancellationToken));
        if (row is null)
        {
            throw CortexException.Invalid("assigneeId", "No principal has this id.");
        }

        var isMember = await session.Connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM subcortex_members WHERE subcortex_id = @subcortexId AND principal_id = @assigneeId)",
            new { subcortexId, assigneeId },
            session.Transaction,
            cancellationToken: cancellationToken));
        if (!Permissions.May(row, CortexAction.UpdateTask, Resource.Content(ResourceKind.Task, assigneeId, isPrivate, isMember)))
        {
            throw CortexException.Invalid("assigneeId", $"@{row.Handle} cannot work on tasks here (disabled, a reader, or not a member of this private subcortex).");
        }
    }
}
