using Cortex.CoreServer.Auth;
using Cortex.CoreServer.Content;
using Cortex.CoreServer.Database;
using Cortex.CoreServer.Drafts;
using Cortex.CoreServer.Errors;
using Cortex.CoreServer.Feed;
using Cortex.CoreServer.Markdown;
using Cortex.CoreServer.Templates;
using Cortex.SharedModel.Api;
using Cortex.SharedModel.Authorization;
using Cortex.SharedModel.Content;
using Cortex.SharedModel.Feed;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cortex.CoreServer.Apis;

internal static class CommentsApi
{
    public static RouteGroupBuilder MapCommentsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/threads/{id}/comments", ListComments);
        api.MapPost("/threads/{id}/comments", CreateComment);
        return api;
    }

    private static async Task<Ok<Page<Comment>>> ListComments(
        HttpContext context, ThreadStore threads, CommentStore comments, string id, string? cursor, int? limit, CancellationToken cancellationToken)
    {
        var (thread, _) = await ThreadsApi.LoadVisibleAsync(threads, context.Principal(), id, cancellationToken);
        var take = Paging.Limit(limit);
        var rows = await comments.ListAsync(thread.Id, Paging.Decode(cursor), take + 1, cancellationToken);
        return TypedResults.Ok(Paging.ToPage(rows, take, c => c.Id));
    }

    private static async Task<Results<Created<Comment>, Accepted<Draft>>> CreateComment(
        HttpContext context,
        WriteSession session,
        ThreadStore threads,
        TemplateStore templates,
        MarkdownRenderer markdown,
        string id,
        CreateCommentRequest request,
        CancellationToken cancellationToken)
    {
        var me = context.Principal();
        var (thread, access) = await ThreadsApi.LoadVisibleAsync(threads, me, id, cancellationToken);
        me.Demand(CortexAction.CreateComment, access.Resource(ResourceKind.Thread, thread.AuthorId));
        var errors = request.Validate();
        if (!errors.IsValid)
        {
            throw CortexException.Invalid(errors.ToDictionary());
        }

        if (!access.AcceptsContent)
        {
            throw CortexException.Conflict("The thread's subcortex is closed to new comments.");
        }

        // The draft gate, as for threads; comment templates have the kind "comment".
        var template = await templates.FindAsync(thread.SubcortexId, "comment", cancellationToken);
        await templates.RequireSectionsAsync(thread.SubcortexId, "comment", request.Body!, cancellationToken);
        if (DraftGate.MustReview(me, template))
        {
            var draft = await DraftStore.CreateAsync(
                session, new NewDraft(DraftKind.Comment, thread.SubcortexId, me.Id, request.Body!, [], ThreadId: thread.Id), context.Actor(), cancellationToken);
            await session.CommitAsync(cancellationToken);
            return TypedResults.Accepted($"/api/v1/drafts/{draft.Id}", draft);
        }

        var comment = await CommentStore.InsertAsync(session, thread.Id, me.Id, request.Body!, markdown.Render(request.Body!), cancellationToken);
        session.Mutated(
            context,
            "comment.create",
            new PendingChange(EntityNames.Comment, comment.Id, ChangeOperation.Created, comment.Version, SubcortexId: thread.SubcortexId));
        await session.CommitAsync(cancellationToken);
        return TypedResults.Created($"/api/v1/threads/{thread.Id}/comments", comment);
    }
}
