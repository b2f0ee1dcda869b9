using Cortex.CoreServer.Apis;
using Cortex.CoreServer.Content;
using Cortex.CoreServer.Database;
using Cortex.CoreServer.Drafts;
using Cortex.CoreServer.Errors;
using Cortex.CoreServer.Feed;
using Cortex.CoreServer.Markdown;
using Cortex.CoreServer.Templates;
using Cortex.SharedModel.Api;
using Cortex.SharedModel.Authorization;
using Cortex.SharedModel.Feed;
using Cortex.SyncProtocol;
using FeedOperation = Cortex.SharedModel.Feed.ChangeOperation;

namespace Cortex.CoreServer.Sync.Mutations;

internal sealed class CreateThreadHandler(SubcortexStore subcortexes, TemplateStore templates, MarkdownRenderer markdown) : IMutationHandler
{
    public string Kind => MutationKinds.CreateThread;

    public async Task<MutationEffect> ApplyAsync(MutationContext context, CancellationToken cancellationToken)
    {
        var slug = context.RequireTarget("subcortex slug");
        var request = context.Parse<CreateThreadRequest>();
        var (subcortex, access) = await SubcortexesApi.LoadVisibleAsync(subcortexes, context.Me, slug, cancellationToken);
        context.Demand(CortexAction.CreateThread, access.Resource(ResourceKind.Subcortex, subcortex.CreatedBy));
        var errors = request.Validate(out var kind);
        if (!errors.IsValid)
        {
            throw CortexException.Invalid(errors.ToDictionary());
        }

        if (!access.AcceptsContent)
        {
            throw CortexException.Conflict($"The subcortex '{slug}' takes no new threads.");
        }

        // The draft gate, exactly as the REST API applies it.
        var template = await templates.FindAsync(subcortex.Id, SqlNames.Of(kind), cancellationToken);
        await templates.RequireSectionsAsync(subcortex.Id, SqlNames.Of(kind), request.Body!, cancellationToken);
        if (DraftGate.MustReview(context.Me, template))
        {
            var draft = await DraftStore.CreateAsync(
                context.Session,
                new NewDraft(DraftKind.Thread, subcortex.Id, context.Me.Id, request.Body!, [], request.Title, SqlNames.Of(kind)),
                context.Actor,
                cancellationToken);
            return MutationEffect.Drafted(draft.Id);
        }

        var thread = await ThreadStore.InsertAsync(
            context.Session, subcortex.Id, request.Title!, kind, request.Body!, markdown.Render(request.Body!), context.Me.Id, cancellationToken);
        context.Record("thread.create", new PendingChange(
            EntityNames.Thread, thread.Id, FeedOperation.Created, thread.Version, SubcortexId: thread.SubcortexId));
        return MutationEffect.Wrote(thread.Id);
    }
}
