using Cortex.CoreServer.Auth;
using Cortex.CoreServer.Content;
using Cortex.CoreServer.Database;
using Cortex.CoreServer.Drafts;
using Cortex.SharedModel.Api;
using Cortex.SharedModel.Content;
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
        ContentWriter writer,
        string id,
        CreateCommentRequest request,
        CancellationToken cancellationToken)
    {
        var (thread, write) = await writer.CreateCommentAsync(session, context.Principal(), context.Actor(), id, request, cancellationToken);
        await session.CommitAsync(cancellationToken);
        return write.Draft is { } draft
            ? TypedResults.Accepted($"/api/v1/drafts/{draft.Id}", draft)
            : TypedResults.Created($"/api/v1/threads/{thread.Id}/comments", write.Item!);
    }
}
