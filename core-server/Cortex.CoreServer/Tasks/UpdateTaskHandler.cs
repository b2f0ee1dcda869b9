using Cortex.CoreServer.Apis;
using Cortex.CoreServer.Errors;
using Cortex.CoreServer.Sync.Mutations;
using Cortex.SyncProtocol;
using FeedOperation = Cortex.SharedModel.Feed.ChangeOperation;

namespace Cortex.CoreServer.Tasks;

/// <summary>The outbox mutation <c>task.update</c>: the payload is a <see cref="UpdateTaskRequest"/>, the target the task id.</summary>
internal sealed class UpdateTaskHandler(TaskStore tasks) : IMutationHandler
{
    public string Kind => MutationKinds.UpdateTask;

    public async Task<MutationEffect> ApplyAsync(MutationContext context, CancellationToken cancellationToken)
    {
        var id = context.RequireTarget("task id");
        var request = context.Parse<UpdateTaskRequest>();
        var (current, access) = await TasksApi.LoadVisibleAsync(tasks, context.Me, id, cancellationToken);
        var expected = context.Mutation.BaseVersion ?? request.Version
            ?? throw CortexException.Invalid("baseVersion", "The version the edit was made against is required.");
        var updated = await TaskWrites.UpdateAsync(context.Session, context.Me, current, access, request, expected, cancellationToken)
            ?? throw new CortexException(ProblemKind.VersionConflict, $"The task is at version {current.Version}, the edit was made against {expected}.");
        context.Record("task.update", TaskWrites.Change(updated, FeedOperation.Updated));
        return MutationEffect.Wrote(updated.Id);
    }
}
