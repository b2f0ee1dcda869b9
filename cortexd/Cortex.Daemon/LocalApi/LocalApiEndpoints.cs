using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Cortex.Daemon.Search;
using Cortex.Daemon.Sync;
using Cortex.Replica;
using Cortex.SecretScanning;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;

namespace Cortex.Daemon.LocalApi;

/// <summary>
/// The daemon's loopback API, for the CLI and (next) the MCP server. Every call carries the workspace token as
/// <c>Authorization: Bearer</c>; reads come from the replica, so they work offline; writes go to the outbox.
/// </summary>
internal static class LocalApiEndpoints
{
    public sealed record EnqueueRequest(string? Kind, string? TargetEntity, string? TargetId, JsonElement Payload, long? BaseVersion);

    public sealed record LocalWriteView(string ClientId, string Kind, string? TargetId, string State, string Visibility, JsonElement Payload);

    public static void MapLocalApi(this WebApplication app, string token, DaemonContext context)
    {
        var expected = Encoding.UTF8.GetBytes("Bearer " + token);
        app.Use(async (http, next) =>
        {
            var given = Encoding.UTF8.GetBytes(http.Request.Headers.Authorization.ToString());
            if (!CryptographicOperations.FixedTimeEquals(given, expected))
            {
                await Results.Problem(statusCode: 401, title: "The local API token is missing or wrong.", type: "urn:cortex:problem:unauthenticated")
                    .ExecuteAsync(http);
                return;
            }

            await next(http);
        });

        var api = app.MapGroup("/v1");
        api.MapGet("/status", () => TypedResults.Ok(context.Status()));
        api.MapPost("/wait", WaitAsync);
        api.MapGet("/items/{entity}/{id}", GetItem);
        api.MapGet("/writes", ListWrites);
        api.MapDocumentApi(context);
        api.MapPost("/outbox", Enqueue);
        api.MapGet("/outbox/{clientId}", FindWrite);
        api.MapPost("/shutdown", (IHostApplicationLifetime lifetime) =>
        {
            lifetime.StopApplication();
            return TypedResults.Accepted((string?)null);
        });

        async Task<Results<Ok<DaemonStatus>, ProblemHttpResult>> WaitAsync(int? timeoutMs, CancellationToken cancellationToken)
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(TimeSpan.FromMilliseconds(Math.Clamp(timeoutMs ?? 60_000, 1, 3_600_000)));
            try
            {
                await context.Engine.WaitCaughtUpAsync(deadline.Token);
                return TypedResults.Ok(context.Status());
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                var status = context.Status();
                return TypedResults.Problem(
                    statusCode: 504,
                    type: "urn:cortex:problem:not-caught-up",
                    title: "Not caught up before the timeout.",
                    detail: $"connected: {status.Connected}, lag {status.LagPositions} position(s), outbox {status.OutboxDepth}"
                            + (status.LastError is { } error ? $", last error: {error}" : ""));
            }
            catch (InvalidOperationException exception)
            {
                return TypedResults.Problem(statusCode: 503, type: "urn:cortex:problem:sync-refused", title: exception.Message);
            }
        }

        Results<ContentHttpResult, ProblemHttpResult> GetItem(string entity, string id)
        {
            var json = context.Replica.GetJson(entity, id);
            return json is null
                ? TypedResults.Problem(statusCode: 404, type: "urn:cortex:problem:not-found", title: $"The replica holds no {entity} {id}.")
                : TypedResults.Content(json, "application/json");
        }

        Ok<List<LocalWriteView>> ListWrites() => TypedResults.Ok(context.Replica.Outbox.LocalWrites()
            .Select(w => new LocalWriteView(
                w.Item.ClientId, w.Item.Kind, w.Item.TargetId, w.Item.State.ToString().ToLowerInvariant(),
                w.Visibility.ToString().ToLowerInvariant(), JsonSerializer.Deserialize<JsonElement>(w.Item.Payload)))
            .ToList());

        Results<Accepted<QueuedWrite>, ProblemHttpResult> Enqueue(EnqueueRequest request, bool? embed)
        {
            if (string.IsNullOrWhiteSpace(request.Kind) || request.Payload.ValueKind != JsonValueKind.Object)
            {
                return TypedResults.Problem(statusCode: 400, type: "urn:cortex:problem:validation",
                    title: "A write needs a kind and a JSON object payload.");
            }

            var queued = OutboxWrites.Enqueue(context.Replica, new WriteRequest(request.Kind, request.TargetEntity, request.TargetId, request.Payload, request.BaseVersion),
                context.Scanner, embed == true ? LazyEmbedder.Shared : null);
            context.Engine.Kick();
            return TypedResults.Accepted($"/v1/outbox/{queued.ClientId}", queued);
        }

        Results<Ok<QueuedWrite>, ProblemHttpResult> FindWrite(string clientId) =>
            context.Replica.Outbox.Get(clientId) is { } item
                ? TypedResults.Ok(QueuedWrite.From(item))
                : TypedResults.Problem(statusCode: 404, type: "urn:cortex:problem:not-found", title: $"The outbox holds no write {clientId}.");
    }
}

/// <summary>What the local API serves from.</summary>
internal sealed record DaemonContext(ReplicaStore Replica, SyncEngine Engine, SyncEngineOptions Options, SecretScanner Scanner)
{
    public DaemonStatus Status()
    {
        using var connection = Replica.OpenReadConnection();
        return DaemonStatus.From(Replica.GetStatus(), Engine, Options.StaleAfter) with { SecretRedactions = SecretCounts.Read(connection) };
    }
}
