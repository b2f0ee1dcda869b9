using Cortex.CoreServer.Audit;
using Cortex.CoreServer.Auth;
using Cortex.CoreServer.Content;
using Cortex.CoreServer.Database;
using Cortex.CoreServer.Errors;
using Cortex.CoreServer.Summaries;
using Cortex.SharedModel.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cortex.CoreServer.Admin;

/// <summary>Operator endpoints (issue 8), admin only and audited: reindex with visible progress, summary rebuilds.</summary>
internal static class AdminApi
{
    public static RouteGroupBuilder MapAdminApi(this RouteGroupBuilder admin)
    {
        admin.MapPost("/reindex", ReindexAsync);
        admin.MapGet("/reindex/{id}", GetReindexAsync);
        admin.MapPost("/rebuild-summaries", RebuildSummariesAsync);
        return admin;
    }

    /// <summary>
    /// Starts a reindex of embeddings and/or full-text, of everything or of one subcortex (<c>subcortex</c> = slug).
    /// The worker does the work; follow it at the returned location.
    /// </summary>
    private static async Task<Accepted<ReindexRun>> ReindexAsync(
        HttpContext context, WriteSession session, SubcortexStore subcortexes, ReindexRequest? request, CancellationToken cancellationToken)
    {
        var me = context.Principal();
        me.Demand(CortexAction.Operate, Resource.System);
        var targets = request?.Targets is { Length: > 0 } asked ? asked.Distinct().ToArray() : [.. ReindexRuns.AllTargets];
        if (targets.FirstOrDefault(t => !ReindexRuns.AllTargets.Contains(t)) is { } unknown)
        {
            throw CortexException.Invalid("targets", $"'{unknown}' is not one of: {string.Join(", ", ReindexRuns.AllTargets)}.");
        }

        var subcortexId = await ResolveSubcortexAsync(subcortexes, me, request?.Subcortex, cancellationToken);
        await session.BeginAsync(cancellationToken);
        var run = await ReindexRuns.CreateAsync(session, subcortexId, targets, me.Id, cancellationToken);
        session.Audit(new AuditEntry("admin.reindex", AuditOutcome.Succeeded, context.Actor(), "reindexRun", run.Id,
            $"subcortex={subcortexId ?? "*"} targets={string.Join(',', targets)}"));
        await session.CommitAsync(cancellationToken);
        return TypedResults.Accepted($"/admin/reindex/{run.Id}", run);
    }

    private static async Task<Ok<ReindexRun>> GetReindexAsync(
        HttpContext context, ReindexRuns runs, string id, CancellationToken cancellationToken)
    {
        context.Principal().Demand(CortexAction.Operate, Resource.System);
        return TypedResults.Ok(await runs.FindAsync(id, cancellationToken) ?? throw CortexException.NotFound("The reindex run"));
    }

    private static async Task<Accepted<RebuildSummariesResult>> RebuildSummariesAsync(
        HttpContext context, WriteSession session, SubcortexStore subcortexes, RebuildSummariesRequest? request,
        CancellationToken cancellationToken)
    {
        var me = context.Principal();
        me.Demand(CortexAction.Operate, Resource.System);
        var subcortexId = await ResolveSubcortexAsync(subcortexes, me, request?.Subcortex, cancellationToken);
        await session.BeginAsync(cancellationToken);
        var queued = await SummaryStore.EnqueueRebuildAsync(session.Connection, session.Transaction, subcortexId, cancellationToken);
        session.Audit(new AuditEntry("admin.rebuild-summaries", AuditOutcome.Succeeded, context.Actor(), "subcortex", subcortexId,
            $"queued={queued}"));
        await session.CommitAsync(cancellationToken);
        return TypedResults.Accepted((string?)null, new RebuildSummariesResult(queued));
    }

    private static async Task<string?> ResolveSubcortexAsync(
        SubcortexStore subcortexes, SharedModel.Principals.Principal me, string? slug, CancellationToken cancellationToken)
    {
        if (slug is null)
        {
            return null;
        }

        var found = await subcortexes.FindBySlugAsync(slug, me.Id, cancellationToken)
            ?? throw CortexException.NotFound($"The subcortex '{slug}'");
        return found.Subcortex.Id;
    }
}
