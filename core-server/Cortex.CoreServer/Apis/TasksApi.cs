using Cortex.CoreServer.Auth;
using Cortex.CoreServer.Content;
using Cortex.CoreServer.Database;
using Cortex.CoreServer.Errors;
using Cortex.CoreServer.Tasks;
using Cortex.SharedModel.Authorization;
using Cortex.SharedModel.Ids;
using Cortex.SharedModel.Principals;
using Cortex.SharedModel.Validation;
using Microsoft.AspNetCore.Http.HttpResults;
using FeedOperation = Cortex.SharedModel.Feed.ChangeOperation;

namespace Cortex.CoreServer.Apis;

internal static class TasksApi
{
    public static RouteGroupBuilder MapTasksApi(this RouteGroupBuilder api)
    {
        api.MapPost("/subcortexes/{slug}/tasks", CreateTask);
        api.MapGet("/tasks", ListTasks);
        api.MapGet("/tasks/{id}", GetTask);
        api.MapPatch("/tasks/{id}", UpdateTask);
        return api;
    }

    /// <summary>Loads the task or 404s, then checks that the caller may read it.</summary>
    internal static async Task<(CortexTask Task, ContentAccess Access)> LoadVisibleAsync(
        TaskStore tasks, Principal me, string id, CancellationToken cancellationToken)
    {
        var found = await tasks.FindAsync(id, me.Id, cancellationToken) ?? throw CortexException.NotFound("The task");
        me.Demand(CortexAction.ReadContent, found.Access.Resource(ResourceKind.Task, found.Task.AssigneeId));
        return found;
    }

    private static async Task<Created<CortexTask>> CreateTask(
        HttpContext context,
        WriteSession session,
        SubcortexStore subcortexes,
        string slug,
        CreateTaskRequest request,
        CancellationToken cancellationToken)
    {
        var me = context.Principal();
        var (subcortex, access) = await SubcortexesApi.LoadVisibleAsync(subcortexes, me, slug, cancellationToken);
        var task = await TaskWrites.CreateAsync(session, me, subcortex, access, request, cancellationToken);
        session.Mutated(context, "task.create", TaskWrites.Change(task, FeedOperation.Created));
        await session.CommitAsync(cancellationToken);
        context.Response.Headers.ETag = ExpectedVersion.ETag(task.Version);
        return TypedResults.Created($"/api/v1/tasks/{task.Id}", task);
    }

    /// <summary><c>assignee</c> is <c>me</c> or a principal id; <c>state</c> a comma-separated list; <c>dueBefore</c> ISO 8601.</summary>
    private static async Task<Ok<Page<CortexTask>>> ListTasks(
        HttpContext context,
        TaskStore tasks,
        SubcortexStore subcortexes,
        string? assignee,
        string? state,
        string? subcortex,
        string? dueBefore,
        string? cursor,
        int? limit,
        CancellationToken cancellationToken)
    {
        var me = context.Principal();
        var errors = new ValidationErrors();
        var assigneeId = assignee switch
        {
            null => null,
            "me" => me.Id,
            _ when CortexId.IsValid(assignee) => assignee,
            _ => Invalid(errors, "assignee", "Must be 'me' or a principal id."),
        };
        var states = state?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(name => Rules.TryParseEnum<TaskState>(name, out var parsed)
                ? SqlNames.Of(parsed)
                : Invalid(errors, "state", $"'{name}' is not one of: {Rules.Names<TaskState>()}."))
            .OfType<string>()
            .ToArray();
        var due = TaskFields.ParseDueAt(errors, dueBefore, allowClear: false);
        if (!errors.IsValid)
        {
            throw CortexException.Invalid(errors.ToDictionary());
        }

        var subcortexId = subcortex is null
            ? null
            : (await SubcortexesApi.LoadVisibleAsync(subcortexes, me, subcortex, cancellationToken)).Subcortex.Id;
        var take = Paging.Limit(limit);
        var filter = new TaskFilter(assigneeId, states, subcortexId, due, Paging.Decode(cursor));
        var rows = await tasks.ListAsync(me, filter, take + 1, cancellationToken);
        return TypedResults.Ok(Paging.ToPage(rows, take, t => t.Id));
    }

    private static async Task<Ok<CortexTask>> GetTask(HttpContext context, TaskStore tasks, string id, CancellationToken cancellationToken)
    {
        var (task, _) = await LoadVisibleAsync(tasks, context.Principal(), id, cancellationToken);
        context.Response.Headers.ETag = ExpectedVersion.ETag(task.Version);
        return TypedResults.Ok(task);
    }

    private static async Task<Ok<CortexTask>> UpdateTask(
        HttpContext context,
        WriteSession session,
        TaskStore tasks,
        string id,
        UpdateTaskRequest request,
        CancellationToken cancellationToken)
    {
        var me = context.Principal();
        var (current, access) = await LoadVisibleAsync(tasks, me, id, cancellationToken);
        var expected = ExpectedVersion.From(context, request.Version);
        expected.Check(current.Version, "task");
        var updated = await TaskWrites.UpdateAsync(session, me, current, access, request, expected.Version, cancellationToken)
            ?? throw expected.Stale(current.Version + 1, "task");
        session.Mutated(context, "task.update", TaskWrites.Change(updated, FeedOperation.Updated));
        await session.CommitAsync(cancellationToken);
        context.Response.Headers.ETag = ExpectedVersion.ETag(updated.Version);
        return TypedResults.Ok(updated);
    }

    private static string? Invalid(ValidationErrors errors, string field, string message)
    {
        errors.Add(field, message);
        return null;
    }
}
