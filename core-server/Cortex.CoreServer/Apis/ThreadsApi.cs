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
        SubcortexStore subcortexes,
        TemplateStore templates,
        MarkdownRenderer markdown,
        string slug,
        CreateThreadRequest request,
        CancellationToken cancellationToken)
    {
        var me = context.Principal();
        var (subcortex, access) = await SubcortexesApi.LoadVisibleAsync(subcortexes, me, slug, cancellationToken);
        me.Demand(CortexAction.CreateThread, access.Resource(ResourceKind.Subcortex, subcortex.CreatedBy));
        var errors = request.Validate(out var kind);
        if (!errors.IsValid)
        {
            throw CortexException.Invalid(errors.ToDictionary());
        }

        if (!access.AcceptsContent)
        {
            throw CortexException.Conflict($"The subcortex '{slug}' is {subcortex.State.ToString().ToLowerInvariant()} and takes no new threads.");
        }

        // The draft gate: agents' threads, and any thread whose template requires review, wait in the review queue.
        var template = await templates.FindAsync(subcortex.Id, SqlNames.Of(kind), cancellationToken);
        await templates.RequireSectionsAsync(subcortex.Id, SqlNames.Of(kind), request.Body!, cancellationToken);
        if (DraftGate.MustReview(me, template))
        {
            var draft = await DraftStore.CreateAsync(
                session, new NewDraft(DraftKind.Thread, subcortex.Id, me.Id, request.Body!, [], request.Title, SqlNames.Of(kind)), context.Actor(), cancellationToken);
            await session.CommitAsync(cancellationToken);
            return TypedResults.Accepted($"/api/v1/drafts/{draft.Id}", draft);
        }

        var thread = await ThreadStore.InsertAsync(
            session, subcortex.Id, request.Title!, kind, request.Body!, markdown.Render(request.Body!), me.Id, cancellationToken);
        session.Mutated(context, "thread.create", Change(thread, ChangeOperation.Created));
        await session.CommitAsync(cancellationToken);
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

    private static async Task<Ok<CortexThread>> UpdateThread(
        HttpContext context,
        WriteSession session,
        ThreadStore threads,
        MarkdownRenderer markdown,
        string id,
        UpdateThreadRequest request,
        CancellationToken cancellationToken)
    {
        var me = context.Principal();
        var (current, access) = await LoadVisibleAsync(threads, me, id, cancellationToken);
        me.Demand(CortexAction.UpdateThread, access.Resource(ResourceKind.Thread, current.AuthorId));
        var errors = request.Validate(out var kind);
        if (!errors.IsValid)
        {
            throw CortexException.Invalid(errors.ToDictionary());
        }

        var expected = ExpectedVersion.From(context, request.Version);
        expected.Check(current.Version, "thread");
        var html = request.Body is null ? null : markdown.Render(request.Body);
        var updated = await ThreadStore.UpdateAsync(session, id, expected.Version, request.Title, kind, request.Body, html, cancellationToken)
            ?? throw expected.Stale(current.Version + 1, "thread");
        session.Mutated(context, "thread.update", Change(updated, ChangeOperation.Updated));
        await session.CommitAsync(cancellationToken);
        context.Response.Headers.ETag = ExpectedVersion.ETag(updated.Version);
        return TypedResults.Ok(updated);
    }

    private static PendingChange Change(CortexThread thread, ChangeOperation operation) =>
        new(EntityNames.Thread, thread.Id, operation, thread.Version, SubcortexId: thread.SubcortexId);
}
