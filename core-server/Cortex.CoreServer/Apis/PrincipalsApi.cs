using Cortex.CoreServer.Auth;
using Cortex.CoreServer.Database;
using Cortex.CoreServer.Errors;
using Cortex.CoreServer.Feed;
using Cortex.CoreServer.Principals;
using Cortex.SharedModel.Api;
using Cortex.SharedModel.Authorization;
using Cortex.SharedModel.Feed;
using Cortex.SharedModel.Principals;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cortex.CoreServer.Apis;

internal static class PrincipalsApi
{
    public static RouteGroupBuilder MapPrincipalsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/principals", ListPrincipals);
        api.MapPost("/principals", CreatePrincipal);
        api.MapGet("/principals/me", GetMe);
        api.MapGet("/principals/{id}", GetPrincipal);
        api.MapPatch("/principals/{id}", UpdatePrincipal);
        return api;
    }

    private static async Task<Ok<Page<Principal>>> ListPrincipals(
        HttpContext context, PrincipalStore principals, string? cursor, int? limit, CancellationToken cancellationToken)
    {
        context.Principal().Demand(CortexAction.ListPrincipals, Resource.System);
        var take = Paging.Limit(limit);
        var rows = await principals.ListAsync(Paging.Decode(cursor), take + 1, cancellationToken);
        return TypedResults.Ok(Paging.ToPage(rows, take, p => p.Id));
    }

    private static async Task<Created<Principal>> CreatePrincipal(
        HttpContext context, WriteSession session, CreatePrincipalRequest request, CancellationToken cancellationToken)
    {
        context.Principal().Demand(CortexAction.CreatePrincipal, Resource.System);
        var errors = request.Validate(out var kind, out var role);
        if (!errors.IsValid)
        {
            throw CortexException.Invalid(errors.ToDictionary());
        }

        var principal = await PrincipalStore.InsertAsync(session, request.Handle!, request.DisplayName!, kind, role, cancellationToken);
        session.Mutated(context, "principal.create", Change(principal, ChangeOperation.Created));
        await session.CommitAsync(cancellationToken);
        return TypedResults.Created($"/api/v1/principals/{principal.Id}", principal);
    }

    private static Ok<Principal> GetMe(HttpContext context) => TypedResults.Ok(context.Principal());

    private static async Task<Ok<Principal>> GetPrincipal(
        HttpContext context, PrincipalStore principals, string id, CancellationToken cancellationToken)
    {
        context.Principal().Demand(CortexAction.ReadPrincipal, Resource.OwnedBy(ResourceKind.Principal, id));
        var principal = await principals.FindAsync(id, cancellationToken) ?? throw CortexException.NotFound("The principal");
        return TypedResults.Ok(principal);
    }

    private static async Task<Ok<Principal>> UpdatePrincipal(
        HttpContext context,
        WriteSession session,
        PrincipalStore principals,
        KeyCache keyCache,
        string id,
        UpdatePrincipalRequest request,
        CancellationToken cancellationToken)
    {
        context.Principal().Demand(CortexAction.UpdatePrincipal, Resource.OwnedBy(ResourceKind.Principal, id));
        var current = await principals.FindAsync(id, cancellationToken) ?? throw CortexException.NotFound("The principal");
        var errors = request.Validate(current.Kind, out var role);
        if (!errors.IsValid)
        {
            throw CortexException.Invalid(errors.ToDictionary());
        }

        // An admin cannot lock themselves out; another admin has to do it.
        if (id == context.Principal().Id && (request.Disabled == true || (role is { } newRole && newRole != current.Role)))
        {
            throw CortexException.Conflict("You cannot disable yourself or change your own role.");
        }

        var expected = ExpectedVersion.From(context, request.Version);
        var updated = await PrincipalStore.UpdateAsync(
            session, id, expected.Version, request.DisplayName, role, request.Disabled, cancellationToken)
            ?? throw expected.Stale(current.Version, "principal");
        session.Mutated(context, "principal.update", Change(updated, ChangeOperation.Updated));
        session.AfterCommit(keyCache.Invalidate);
        await session.CommitAsync(cancellationToken);
        context.Response.Headers.ETag = ExpectedVersion.ETag(updated.Version);
        return TypedResults.Ok(updated);
    }

    private static PendingChange Change(Principal principal, ChangeOperation operation) =>
        new(EntityNames.Principal, principal.Id, operation, principal.Version, PrincipalId: principal.Id);
}
