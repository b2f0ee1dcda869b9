using Cortex.CoreServer.Content;
using Cortex.SharedModel.Api;
using Cortex.SyncProtocol;

namespace Cortex.CoreServer.Sync.Mutations;

/// <summary><c>thread.create</c>: the target is the subcortex's slug; the REST API's write path decides.</summary>
internal sealed class CreateThreadHandler(ContentWriter writer) : IMutationHandler
{
    public string Kind => MutationKinds.CreateThread;

    public async Task<MutationEffect> ApplyAsync(MutationContext context, CancellationToken cancellationToken)
    {
        var slug = context.RequireTarget("subcortex slug");
        var write = await writer.CreateThreadAsync(
            context.Session, context.Me, context.Actor, slug, context.Parse<CreateThreadRequest>(), cancellationToken);
        return write.Draft is { } draft ? MutationEffect.Drafted(draft.Id) : MutationEffect.Wrote(write.Item!.Id);
    }
}
