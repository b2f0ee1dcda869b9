using Cortex.CoreServer.Apis;
using Cortex.CoreServer.Content;
using Cortex.CoreServer.Errors;
using Cortex.SharedModel.Api;
using Cortex.SyncProtocol;

namespace Cortex.CoreServer.Sync.Mutations;

/// <summary>
/// <c>thread.update</c>: the target is the thread's id; the edit names the version it was made against in the
/// mutation's <c>BaseVersion</c> (or the payload's <c>version</c>). A stale one is a <c>version_conflict</c>; an edit
/// the draft gate holds back is converted to a draft, as through <c>PATCH /threads/{id}</c>.
/// </summary>
internal sealed class UpdateThreadHandler(ContentWriter writer) : IMutationHandler
{
    public string Kind => MutationKinds.UpdateThread;

    public async Task<MutationEffect> ApplyAsync(MutationContext context, CancellationToken cancellationToken)
    {
        var id = context.RequireTarget("thread id");
        var request = context.Parse<UpdateThreadRequest>();
        var write = await writer.UpdateThreadAsync(context.Session, context.Me, context.Actor, id, request, ExpectedVersion, cancellationToken);
        return write.Draft is { } draft ? MutationEffect.Drafted(draft.Id) : MutationEffect.Wrote(write.Item!.Id);

        ExpectedVersion ExpectedVersion() =>
            new(context.Mutation.BaseVersion ?? request.Version
                ?? throw CortexException.Invalid("baseVersion", "The version the edit was made against is required."), FromIfMatch: false);
    }
}
