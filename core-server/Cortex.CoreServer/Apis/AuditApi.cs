using System.Globalization;
using Cortex.CoreServer.Audit;
using Cortex.CoreServer.Auth;
using Cortex.CoreServer.Errors;
using Cortex.SharedModel.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cortex.CoreServer.Apis;

internal static class AuditApi
{
    public static RouteGroupBuilder MapAuditApi(this RouteGroupBuilder api)
    {
        api.MapGet("/audit", ListAuditEvents);
        return api;
    }

    /// <summary>Newest first.</summary>
    private static async Task<Ok<Page<AuditEvent>>> ListAuditEvents(
        HttpContext context, AuditLog audit, string? cursor, int? limit, CancellationToken cancellationToken)
    {
        context.Principal().Demand(CortexAction.ReadAudit, new Resource { Kind = ResourceKind.AuditLog });
        var take = Paging.Limit(limit);
        long? before = null;
        if (Paging.Decode(cursor) is { } position)
        {
            before = long.TryParse(position, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
                ? id
                : throw CortexException.Invalid("cursor", "Not a cursor returned by this list.");
        }

        var rows = (await audit.ListAsync(before, take + 1, cancellationToken)).ToList();
        return TypedResults.Ok(Paging.ToPage(rows, take, e => e.Id.ToString(CultureInfo.InvariantCulture)));
    }
}
