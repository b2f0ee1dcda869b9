using Cortex.CoreServer.Errors;
using Cortex.ObjectStore;
using Npgsql;

namespace Cortex.CoreServer.Apis;

internal static class HealthApi
{
    /// <summary>Any valid key: the probe asks whether it exists, so an answer at all (yes or no) proves access.</summary>
    private const string ObjectStoreProbeKey = "health/readyz-probe";

    private static readonly TimeSpan ObjectStoreTimeout = TimeSpan.FromSeconds(3);

    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => TypedResults.Ok(new { status = "alive" }));
        app.MapGet("/readyz", ReadyAsync);
        return app;
    }

    /// <summary>
    /// Ready when the database and the object store both answer with the server's credentials, so a rotated-away
    /// object store key (runbooks/rotate-keys.md) or an unreachable store takes an instance out of rotation.
    /// </summary>
    private static async Task<IResult> ReadyAsync(
        NpgsqlDataSource dataSource, IObjectStore objectStore, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger("Cortex.Health");
        try
        {
            await using var command = dataSource.CreateCommand("SELECT 1");
            command.CommandTimeout = 2;
            await command.ExecuteScalarAsync(cancellationToken);
        }
        catch (NpgsqlException exception)
        {
            Log.DatabaseNotReady(logger, exception);
            throw new CortexException(ProblemKind.Unavailable, "The database is not reachable.");
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ObjectStoreTimeout);
        try
        {
            await objectStore.ExistsAsync(ObjectStoreProbeKey, timeout.Token);
        }
        catch (UnauthorizedAccessException exception)
        {
            Log.ObjectStoreNotReady(logger, exception);
            throw new CortexException(ProblemKind.Unavailable, "The object store refuses the server's credentials.");
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            Log.ObjectStoreNotReady(logger, exception);
            throw new CortexException(ProblemKind.Unavailable, "The object store is not reachable.");
        }

        return TypedResults.Ok(new { status = "ready", database = "reachable", objectStore = "reachable" });
    }
}
