using System.Globalization;
using Cortex.CoreServer.Auth;
using Cortex.CoreServer.Errors;
using Cortex.CoreServer.Search;
using Cortex.SharedModel.Authorization;
using Cortex.SharedModel.Validation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cortex.CoreServer.Apis;

internal static class SearchApi
{
    private const int MaxOffset = 1_000;

    public static RouteGroupBuilder MapSearchApi(this RouteGroupBuilder api)
    {
        api.MapGet("/search", SearchAsync);
        return api;
    }

    private static async Task<Ok<Page<SearchHit>>> SearchAsync(
        HttpContext context, KeywordSearch keyword, string? q, string? mode, string? cursor, int? limit, CancellationToken cancellationToken)
    {
        var me = context.Principal();
        me.Demand(CortexAction.Search, Resource.System);
        var errors = new ValidationErrors();
        errors.RequireLine("q", q, Rules.SearchQueryMaxLength);
        switch (mode ?? "keyword")
        {
            case "keyword":
                break;
            case "semantic" or "hybrid":
                errors.Add("mode", $"The {mode} mode is not available yet on this server; use keyword.");
                break;
            default:
                errors.Add("mode", "Must be one of: keyword, semantic, hybrid.");
                break;
        }

        var take = Paging.Limit(limit);
        var offset = 0;
        if (Paging.Decode(cursor) is { } position
            && (!int.TryParse(position, NumberStyles.None, CultureInfo.InvariantCulture, out offset) || offset > MaxOffset))
        {
            errors.Add("cursor", "Not a cursor returned by this search.");
        }

        if (!errors.IsValid)
        {
            throw CortexException.Invalid(errors.ToDictionary());
        }

        var hits = await keyword.SearchAsync(me, q!, offset, take + 1, cancellationToken);
        var next = offset + take;
        return TypedResults.Ok(Paging.ToPage(hits, take, _ => next.ToString(CultureInfo.InvariantCulture)));
    }
}
