using Cortex.CoreServer.Apis;
using Cortex.CoreServer.Content;
using Cortex.CoreServer.Errors;
using Cortex.CoreServer.Feed;
using Cortex.CoreServer.Markdown;
using Cortex.SharedModel.Api;
using Cortex.SharedModel.Authorization;
using Cortex.SharedModel.Feed;
using Cortex.SyncProtocol;
using FeedOperation = Cortex.SharedModel.Feed.ChangeOperation;

namespace Cortex.CoreServer.Sync.Mutations;

internal sealed class UpdateThreadHandler(ThreadStore threads, MarkdownRenderer markdown) : IMutationHandler
{
    public string Kind => MutationKinds.UpdateThread;

    public async Task<MutationEffect> ApplyAsync(MutationContext context, CancellationToken cancellationToken)
    {
        var id = context.RequireTarget("thread id");
        var request = context.Parse<UpdateThreadRequest>();
        var (current, access) = await ThreadsApi.LoadVisibleAsync(threads, context.Me, id, cancellationToken);
        context.Demand(CortexAction.UpdateThread, access.Resource(ResourceKind.Thread, current.AuthorId));
        var expected = context.Mutation.BaseVersion ?? request.Version
            ?? throw CortexException.Invalid("baseVersion", "The version the edit was made against is required.");
        var errors = (request with { Version = expected }).Validate(out var kind);
        if (!errors.IsValid)
        {
            throw CortexException.Invalid(errors.ToDictionary());
        }

        var html = request.Body is null ? null : markdown.Render(request.Body);
        var updated = await ThreadStore.UpdateAsync(context.Session, id, expected, request.Title, kind, request.Body, html, cancellationToken)
            ?? throw new CortexException(ProblemKind.VersionConflict, $"The thread is at version {current.Version}, the edit was made against {expected}.");
        context.Record("thread.update", new PendingChange(
            EntityNames.Thread, updated.Id, FeedOperation.Updated, updated.Version, SubcortexId: updated.SubcortexId));
        return MutationEffect.Wrote(updated.Id);
    }
}
