using Cortex.CoreServer.Auth;
using Cortex.CoreServer.Errors;
using Cortex.CoreServer.Feed;
using Cortex.SharedModel.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cortex.CoreServer.Apis;

internal static class ChangesApi
{
    public static RouteGroupBuilder MapChangesApi(this RouteGroupBuilder api)
    {
        api.MapGet("/changes", ReadChanges);
        return api;
    }

    /// <summary>Changes after <paramref name="after"/>, in order, filtered by what the caller may read.</summary>
    private static async Task<Ok<ChangePage>> ReadChanges(
        HttpContext context, ChangeFeedReader feed, long? after, int? limit, CancellationToken cancellationToken)
    {
        var me = context.Principal();
        me.Demand(CortexAction.ReadChanges, Resource.System);
        if (after is < 0)
        {
            throw CortexException.Invalid("after", "Must be a feed position (0 or more).");
        }

        var take = limit ?? 100;
        if (take is < 1 or > ChangeFeedReader.MaxLimit)
        {
            throw CortexException.Invalid("limit", $"Must be between 1 and {ChangeFeedReader.MaxLimit}.");
        }

        return TypedResults.Ok(await feed.ReadAsync(me, after ?? 0, take, cancellationToken));
    }
}
