using Cortex.CoreServer.Content;
using Cortex.SharedModel.Api;
using Cortex.SyncProtocol;

namespace Cortex.CoreServer.Sync.Mutations;

/// <summary><c>comment.create</c>: the target is the thread's id; the REST API's write path decides.</summary>
internal sealed class CreateCommentHandler(ContentWriter writer) : IMutationHandler
{
    public string Kind => MutationKinds.CreateComment;

    public async Task<MutationEffect> ApplyAsync(MutationContext context, CancellationToken cancellationToken)
    {
        var threadId = context.RequireTarget("thread id");
        var (_, write) = await writer.CreateCommentAsync(
            context.Session, context.Me, context.Actor, threadId, context.Parse<CreateCommentRequest>(), cancellationToken);
        return write.Draft is { } draft ? MutationEffect.Drafted(draft.Id) : MutationEffect.Wrote(write.Item!.Id);
    }
}
