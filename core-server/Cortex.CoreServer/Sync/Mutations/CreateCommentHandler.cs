using Cortex.CoreServer.Apis;
using Cortex.CoreServer.Content;
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

internal sealed class CreateCommentHandler(ThreadStore threads, TemplateStore templates, MarkdownRenderer markdown) : IMutationHandler
{
    public string Kind => MutationKinds.CreateComment;

    public async Task<MutationEffect> ApplyAsync(MutationContext context, CancellationToken cancellationToken)
    {
        var threadId = context.RequireTarget("thread id");
        var request = context.Parse<CreateCommentRequest>();
        var (thread, access) = await ThreadsApi.LoadVisibleAsync(threads, context.Me, threadId, cancellationToken);
        context.Demand(CortexAction.CreateComment, access.Resource(ResourceKind.Thread, thread.AuthorId));
        var errors = request.Validate();
        if (!errors.IsValid)
        {
            throw CortexException.Invalid(errors.ToDictionary());
        }

        if (!access.AcceptsContent)
        {
            throw CortexException.Conflict("The thread's subcortex is closed to new comments.");
        }

        var template = await templates.FindAsync(thread.SubcortexId, "comment", cancellationToken);
        await templates.RequireSectionsAsync(thread.SubcortexId, "comment", request.Body!, cancellationToken);
        if (DraftGate.MustReview(context.Me, template))
        {
            var draft = await DraftStore.CreateAsync(
                context.Session,
                new NewDraft(DraftKind.Comment, thread.SubcortexId, context.Me.Id, request.Body!, [], ThreadId: thread.Id),
                context.Actor,
                cancellationToken);
            return MutationEffect.Drafted(draft.Id);
        }

        var comment = await CommentStore.InsertAsync(context.Session, thread.Id, context.Me.Id, request.Body!, markdown.Render(request.Body!), cancellationToken);
        context.Record("comment.create", new PendingChange(
            EntityNames.Comment, comment.Id, FeedOperation.Created, comment.Version, SubcortexId: thread.SubcortexId));
        return MutationEffect.Wrote(comment.Id);
    }
}
