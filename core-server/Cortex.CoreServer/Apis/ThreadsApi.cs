using Cortex.CoreServer.Auth;
using Cortex.CoreServer.Content;
using Cortex.CoreServer.Database;
using Cortex.CoreServer.Drafts;
using Cortex.CoreServer.Errors;
using Cortex.SharedModel.Api;
using Cortex.SharedModel.Authorization;
using Cortex.SharedModel.Content;
using Cortex.SharedModel.Principals;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cortex.CoreServer.Apis;

internal static class ThreadsApi
{
    public static RouteGroupBuilder MapThreadsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/subcortexes/{slug}/threads", ListThreads);
        api.MapPost("/subcortexes/{slug}/threads", CreateThread);
        api.MapGet("/threads/{id}", GetThread);
        api.MapPatch("/threads/{id}", UpdateThread);
        return api;
    }

    /// <summary>Loads the thread or 404s, then checks that the caller may read it.</summary>
    internal static async Task<(CortexThread Thread, ContentAccess Access)> LoadVisibleAsync(
        ThreadStore threads, Principal me, string id, CancellationToken cancellationToken)
    {
        var found = await threads.FindAsync(id, me.Id, cancellationToken) ?? throw CortexException.NotFound("The thread");
        me.Demand(CortexAction.ReadContent, found.Access.Resource(ResourceKind.Thread, found.Thread.AuthorId));
        return found;
    }

    private static async Task<Ok<Page<CortexThread>>> ListThreads(
        HttpContext context,
        SubcortexStore subcortexes,
        ThreadStore threads,
        string slug,
        string? cursor,
        int? limit,
        CancellationToken cancellationToken)
    {
        var (subcortex, _) = await SubcortexesApi.LoadVisibleAsync(subcortexes, context.Principal(), slug, cancellationToken);
        var take = Paging.Limit(limit);
        var rows = await threads.ListAsync(subcortex.Id, Paging.Decode(cursor), take + 1, cancellationToken);
        return TypedResults.Ok(Paging.ToPage(rows, take, t => t.Id));
    }

    private static async Task<Results<Created<CortexThread>, Accepted<Draft>>> CreateThread(
        HttpContext context,
        WriteSession session,
        ContentWriter writer,
        string slug,
        CreateThreadRequest request,
        CancellationToken cancellationToken)
    {
        var write = await writer.CreateThreadAsync(session, context.Principal(), context.Actor(), slug, request, cancellationToken);
        await session.CommitAsync(cancellationToken);
        if (write.Draft is { } draft)
        {
            return TypedResults.Accepted($"/api/v1/drafts/{draft.Id}", draft);
        }

        var thread = write.Item!;
        context.Response.Headers.ETag = ExpectedVersion.ETag(thread.Version);
        return TypedResults.Created($"/api/v1/threads/{thread.Id}", thread);
    }

    private static async Task<Ok<CortexThread>> GetThread(
        HttpContext context, ThreadStore threads, string id, CancellationToken cancellationToken)
    {
        var (thread, _) = await LoadVisibleAsync(threads, context.Principal(), id, cancellationToken);
        context.Response.Headers.ETag = ExpectedVersion.ETag(thread.Version);
        return TypedResults.Ok(thread);
    }

    /// <summary>An edit the draft gate holds back is answered 202 with the draft, as for creation.</summary>
    private static async Task<Results<Ok<CortexThread>, Accepted<Draft>>> UpdateThread(
        HttpContext context,
        WriteSession session,
        ContentWriter writer,
        string id,
        UpdateThreadRequest request,
        CancellationToken cancellationToken)
    {
        var write = await writer.UpdateThreadAsync(
            session, context.Principal(), context.Actor(), id, request, () => ExpectedVersion.From(context, request.Version), cancellationToken);
        await session.CommitAsync(cancellationToken);
        if (write.Draft is { } draft)
        {
            return TypedResults.Accepted($"/api/v1/drafts/{draft.Id}", draft);
        }

        var updated = write.Item!;
        context.Response.Headers.ETag = ExpectedVersion.ETag(updated.Version);
        return TypedResults.Ok(updated);
    }
}
