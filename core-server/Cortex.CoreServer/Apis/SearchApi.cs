using System.Globalization;
using Cortex.CoreServer.Auth;
using Cortex.CoreServer.Errors;
using Cortex.CoreServer.Search;
using Cortex.SharedModel.Authorization;
using Cortex.SharedModel.Search;
using Cortex.SharedModel.Validation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cortex.CoreServer.Apis;

internal static class SearchApi
{
    private const int MaxOffset = 1_000;
    private const int MaxFilterValues = 20;

    public static RouteGroupBuilder MapSearchApi(this RouteGroupBuilder api)
    {
        api.MapGet("/search", SearchAsync);
        return api;
    }

    /// <summary>
    /// <c>GET /search?q=&amp;mode=keyword|semantic|hybrid</c> with optional repeated <c>subcortex</c>, <c>kind</c>
    /// (thread, comment, observation, artifact) and <c>trust</c> filters and an <c>updatedFrom</c>/<c>updatedTo</c> range.
    /// </summary>
    private static async Task<Ok<Page<SearchHit>>> SearchAsync(
        HttpContext context, SearchService search, string? q, string? mode, string? cursor, int? limit,
        string[]? subcortex, string[]? kind, string[]? trust, DateTimeOffset? updatedFrom, DateTimeOffset? updatedTo,
        CancellationToken cancellationToken)
    {
        var me = context.Principal();
        me.Demand(CortexAction.Search, Resource.System);
        var errors = new ValidationErrors();
        errors.RequireLine("q", q, Rules.SearchQueryMaxLength);
        var searchMode = (mode ?? "keyword") switch
        {
            "keyword" => SearchMode.Keyword,
            "semantic" => SearchMode.Semantic,
            "hybrid" => SearchMode.Hybrid,
            _ => (SearchMode?)null,
        };
        if (searchMode is null)
        {
            errors.Add("mode", "Must be one of: keyword, semantic, hybrid.");
        }

        CheckValues(errors, "subcortex", subcortex, null);
        CheckValues(errors, "kind", kind, SearchFilter.AllKinds);
        CheckValues(errors, "trust", trust, TrustWeights.Tiers);
        if (updatedFrom > updatedTo)
        {
            errors.Add("updatedFrom", "Must not be after updatedTo.");
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

        var filter = new SearchFilter(subcortex ?? [], kind ?? [], trust ?? [], updatedFrom, updatedTo);
        var hits = await search.SearchAsync(me, new SearchRequest(q!, searchMode!.Value, filter, offset, take + 1), cancellationToken);
        var next = offset + take;
        return TypedResults.Ok(Paging.ToPage(hits, take, _ => next.ToString(CultureInfo.InvariantCulture)));
    }

    private static void CheckValues(ValidationErrors errors, string field, string[]? values, IReadOnlyList<string>? allowed)
    {
        if (values is null)
        {
            return;
        }

        if (values.Length > MaxFilterValues)
        {
            errors.Add(field, $"At most {MaxFilterValues} values.");
        }
        else if (allowed is not null && values.FirstOrDefault(v => !allowed.Contains(v)) is { } unknown)
        {
            errors.Add(field, $"'{unknown}' is not one of: {string.Join(", ", allowed)}.");
        }
        else if (values.Any(string.IsNullOrWhiteSpace))
        {
            errors.Add(field, "Must not be empty.");
        }
    }
}
