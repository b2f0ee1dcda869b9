using Cortex.CoreServer.Apis;
using Cortex.CoreServer.Auth;
using Cortex.CoreServer.Content;
using Cortex.CoreServer.Errors;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cortex.CoreServer.Summaries;

internal static class SummariesApi
{
    public static RouteGroupBuilder MapSummariesApi(this RouteGroupBuilder api)
    {
        api.MapGet("/threads/{id}/summary", GetThreadSummaryAsync);
        api.MapGet("/subcortexes/{slug}/digest", GetDigestAsync);
        return api;
    }

    /// <summary>404 until the worker has summarized the thread (it does within seconds of a write).</summary>
    private static async Task<Ok<ThreadSummary>> GetThreadSummaryAsync(
        HttpContext context, ThreadStore threads, SummaryStore summaries, string id, CancellationToken cancellationToken)
    {
        var (thread, _) = await ThreadsApi.LoadVisibleAsync(threads, context.Principal(), id, cancellationToken);
        return TypedResults.Ok(await summaries.FindThreadSummaryAsync(thread.Id, cancellationToken)
            ?? throw CortexException.NotFound("The thread's summary"));
    }

    private static async Task<Ok<SubcortexDigest>> GetDigestAsync(
        HttpContext context, SubcortexStore subcortexes, SummaryStore summaries, string slug, CancellationToken cancellationToken)
    {
        var (subcortex, _) = await SubcortexesApi.LoadVisibleAsync(subcortexes, context.Principal(), slug, cancellationToken);
        return TypedResults.Ok(await summaries.FindDigestAsync(subcortex.Id, cancellationToken)
            ?? throw CortexException.NotFound("The subcortex's digest"));
    }
}
