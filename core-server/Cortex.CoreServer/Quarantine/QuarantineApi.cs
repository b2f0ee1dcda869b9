using Cortex.CoreServer.Apis;
using Cortex.CoreServer.Auth;
using Cortex.CoreServer.Database;
using Cortex.SharedModel.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cortex.CoreServer.Quarantine;

internal static class QuarantineApi
{
    public static RouteGroupBuilder MapQuarantineApi(this RouteGroupBuilder api)
    {
        api.MapPost("/quarantine", CreateAsync);
        api.MapGet("/quarantine", ListAsync);
        api.MapPost("/quarantine/{id}/lift", LiftAsync);
        return api;
    }

    private static async Task<Created<QuarantineRecord>> CreateAsync(
        HttpContext context, WriteSession session, QuarantineService quarantine, QuarantineRequest request, CancellationToken cancellationToken)
    {
        var record = await quarantine.QuarantineAsync(context, session, request, cancellationToken);
        return TypedResults.Created($"/api/v1/quarantine/{record.Id}", record);
    }

    private static async Task<Ok<QuarantineRecord>> LiftAsync(
        HttpContext context, WriteSession session, QuarantineService quarantine, string id, LiftQuarantineRequest? request,
        CancellationToken cancellationToken) =>
        TypedResults.Ok(await quarantine.LiftAsync(context, session, id, request ?? new LiftQuarantineRequest(null), cancellationToken));

    private static async Task<Ok<Page<QuarantineRecord>>> ListAsync(
        HttpContext context, QuarantineService quarantine, bool? active, string? cursor, int? limit, CancellationToken cancellationToken)
    {
        var me = context.Principal();
        me.Demand(CortexAction.QuarantineContent, Resource.System);
        var take = Paging.Limit(limit);
        var rows = await quarantine.ListAsync(me, active ?? true, Paging.Decode(cursor), take + 1, cancellationToken);
        return TypedResults.Ok(Paging.ToPage(rows, take, r => r.Id));
    }
}
