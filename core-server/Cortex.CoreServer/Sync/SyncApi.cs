using Cortex.CoreServer.Audit;
using Cortex.CoreServer.Auth;
using Cortex.CoreServer.Errors;
using Cortex.CoreServer.Principals;
using Cortex.SharedModel.Authorization;
using Cortex.SharedModel.Feed;
using Cortex.SyncProtocol;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.SignalR;
using Npgsql;

namespace Cortex.CoreServer.Sync;

/// <summary>Sync operations for operators: epoch bumps (force a principal's replicas to re-bootstrap) and the
/// replicas' last reported lag and backlog.</summary>
internal static class SyncApi
{
    public static RouteGroupBuilder MapSyncApi(this RouteGroupBuilder api)
    {
        api.MapPost("/sync/principals/{principalId}/epoch", BumpEpoch);
        api.MapGet("/sync/replicas", ListReplicas);
        return api;
    }

    public sealed record BumpEpochRequest(string? Reason);

    public sealed record EpochBumped(string PrincipalId, long Epoch);

    public sealed record ReplicaReport(
        string ReplicaId, string PrincipalId, long Cursor, long LagPositions, double LagSeconds, int OutboxDepth,
        double? OldestPendingAgeSeconds, DateTimeOffset ReceivedAt);

    private static async Task<Ok<EpochBumped>> BumpEpoch(
        HttpContext context,
        NpgsqlDataSource dataSource,
        PrincipalStore principals,
        IHubContext<SyncHub, ISyncClient> hub,
        ReplicaRegistry registry,
        ILogger<SyncHub> logger,
        string principalId,
        BumpEpochRequest? request,
        CancellationToken cancellationToken)
    {
        context.Principal().Demand(CortexAction.Operate, Resource.System);
        _ = await principals.FindAsync(principalId, cancellationToken) ?? throw CortexException.NotFound("The principal");
        var reason = string.IsNullOrWhiteSpace(request?.Reason) ? "reset by an operator" : request.Reason.Trim();

        // Committed here, not with the request's write session: the replicas told below must find the new epoch.
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var epoch = await SyncEpochs.BumpAsync(connection, transaction, principalId, reason, cancellationToken);
        await AuditLog.AppendAsync(
            connection,
            transaction,
            [new AuditEntry("sync.epoch.bump", AuditOutcome.Succeeded, context.Actor(), EntityNames.Principal, principalId, $"epoch={epoch}; reason={reason}")],
            cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        Log.EpochBumped(logger, principalId, epoch, reason);
        registry.Connected(principalId, epoch);
        await hub.Clients.Group(SyncHub.PrincipalGroup(principalId)).EpochReset(new EpochReset { NewEpoch = epoch, Reason = reason });
        return TypedResults.Ok(new EpochBumped(principalId, epoch));
    }

    private static Ok<List<ReplicaReport>> ListReplicas(HttpContext context, ReplicaRegistry registry)
    {
        context.Principal().Demand(CortexAction.Operate, Resource.System);
        return TypedResults.Ok(registry.All
            .Select(h => new ReplicaReport(
                h.Heartbeat.ReplicaId, h.PrincipalId, h.Heartbeat.Cursor, h.Heartbeat.LagPositions, h.Heartbeat.LagSeconds,
                h.Heartbeat.OutboxDepth, h.Heartbeat.OldestPendingAgeSeconds, h.ReceivedAt))
            .OrderBy(r => r.ReplicaId, StringComparer.Ordinal)
            .ToList());
    }
}
