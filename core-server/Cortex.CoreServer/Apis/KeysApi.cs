using Cortex.CoreServer.Audit;
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

internal static class KeysApi
{
    public static RouteGroupBuilder MapKeysApi(this RouteGroupBuilder api)
    {
        api.MapGet("/principals/{id}/keys", ListKeys);
        api.MapPost("/principals/{id}/keys", CreateKey);
        api.MapGet("/keys/{keyId}", GetKey);
        api.MapDelete("/keys/{keyId}", RevokeKey);
        api.MapPost("/keys/{keyId}/rotate", RotateKey);
        return api;
    }

    private static async Task<Ok<Page<ApiKey>>> ListKeys(
        HttpContext context, KeyStore keys, string id, string? cursor, int? limit, CancellationToken cancellationToken)
    {
        context.Principal().Demand(CortexAction.ReadKeys, Resource.OwnedBy(ResourceKind.ApiKey, id));
        var take = Paging.Limit(limit);
        var rows = await keys.ListAsync(id, Paging.Decode(cursor), take + 1, cancellationToken);
        return TypedResults.Ok(Paging.ToPage(rows, take, k => k.Id));
    }

    private static async Task<Created<CreatedApiKey>> CreateKey(
        HttpContext context,
        WriteSession session,
        PrincipalStore principals,
        TimeProvider time,
        string id,
        CreateKeyRequest request,
        CancellationToken cancellationToken)
    {
        context.Principal().Demand(CortexAction.CreateKey, Resource.OwnedBy(ResourceKind.ApiKey, id));
        var errors = request.Validate(time.GetUtcNow());
        if (!errors.IsValid)
        {
            throw CortexException.Invalid(errors.ToDictionary());
        }

        _ = await principals.FindAsync(id, cancellationToken) ?? throw CortexException.NotFound("The principal");
        var created = await KeyStore.InsertAsync(session, id, request.Name ?? "default", request.ExpiresAt, cancellationToken);
        session.Mutated(context, "key.create", Change(created.ApiKey, ChangeOperation.Created, 1));
        await session.CommitAsync(cancellationToken);
        return TypedResults.Created($"/api/v1/keys/{created.ApiKey.Id}", created);
    }

    private static async Task<Ok<ApiKey>> GetKey(HttpContext context, KeyStore keys, string keyId, CancellationToken cancellationToken)
    {
        var key = await keys.FindAsync(keyId, cancellationToken) ?? throw CortexException.NotFound("The key");
        context.Principal().Demand(CortexAction.ReadKeys, Resource.OwnedBy(ResourceKind.ApiKey, key.PrincipalId));
        return TypedResults.Ok(key);
    }

    private static async Task<Ok<ApiKey>> RevokeKey(
        HttpContext context, WriteSession session, KeyStore keys, KeyCache keyCache, string keyId, CancellationToken cancellationToken)
    {
        var key = await keys.FindAsync(keyId, cancellationToken) ?? throw CortexException.NotFound("The key");
        context.Principal().Demand(CortexAction.RevokeKey, Resource.OwnedBy(ResourceKind.ApiKey, key.PrincipalId));
        var revoked = await KeyStore.RevokeAsync(session, keyId, cancellationToken) ?? throw CortexException.NotFound("The key");
        session.Mutated(context, "key.revoke", Change(revoked, ChangeOperation.Updated, 2));
        session.AfterCommit(keyCache.Invalidate);
        await session.CommitAsync(cancellationToken);
        return TypedResults.Ok(revoked);
    }

    /// <summary>
    /// Issues a new key to the old key's principal and sets the old key to expire when the overlap ends, in one
    /// transaction: a client can move to the new key at leisure, and revoking stays the immediate way to cut over.
    /// </summary>
    private static async Task<Created<RotatedApiKey>> RotateKey(
        HttpContext context,
        WriteSession session,
        KeyStore keys,
        TimeProvider time,
        string keyId,
        RotateKeyRequest request,
        CancellationToken cancellationToken)
    {
        var key = await keys.FindAsync(keyId, cancellationToken) ?? throw CortexException.NotFound("The key");
        var me = context.Principal();
        var owner = Resource.OwnedBy(ResourceKind.ApiKey, key.PrincipalId);
        me.Demand(CortexAction.CreateKey, owner);
        me.Demand(CortexAction.RevokeKey, owner);
        var now = time.GetUtcNow();
        var errors = request.Validate(now);
        if (!errors.IsValid)
        {
            throw CortexException.Invalid(errors.ToDictionary());
        }

        var previous = await KeyStore.ExpireForRotationAsync(session, keyId, now, now + request.Overlap, cancellationToken)
            ?? throw CortexException.Conflict("The key is revoked or expired: create a new key instead of rotating it.");
        var created = await KeyStore.InsertAsync(
            session, key.PrincipalId, request.Name ?? key.Name, request.ExpiresAt, cancellationToken);
        session.Record(Change(previous, ChangeOperation.Updated, 2));
        session.Audit(new AuditEntry(
            "key.rotate",
            AuditOutcome.Succeeded,
            context.Actor(),
            EntityNames.ApiKey,
            previous.Id,
            $"replaced by key {created.ApiKey.Id}; expires at {previous.ExpiresAt:O}"));
        session.Mutated(context, "key.create", Change(created.ApiKey, ChangeOperation.Created, 1));
        await session.CommitAsync(cancellationToken);
        return TypedResults.Created(
            $"/api/v1/keys/{created.ApiKey.Id}", new RotatedApiKey(created.ApiKey, created.Key, previous));
    }

    private static PendingChange Change(ApiKey key, ChangeOperation operation, long version) =>
        new(EntityNames.ApiKey, key.Id, operation, version, PrincipalId: key.PrincipalId);
}
