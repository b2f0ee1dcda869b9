using Cortex.CoreServer.Errors;
using Npgsql;

namespace Cortex.CoreServer.Apis;

internal static class HealthApi
{
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => TypedResults.Ok(new { status = "alive" }));
        app.MapGet("/readyz", ReadyAsync);
        return app;
    }

    private static async Task<IResult> ReadyAsync(NpgsqlDataSource dataSource, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        try
        {
            await using var command = dataSource.CreateCommand("SELECT 1");
            command.CommandTimeout = 2;
            await command.ExecuteScalarAsync(cancellationToken);
            return TypedResults.Ok(new { status = "ready", database = "reachable" });
        }
        catch (NpgsqlException exception)
        {
            Log.DatabaseNotReady(loggers.CreateLogger("Cortex.Health"), exception);
            throw new CortexException(ProblemKind.Unavailable, "The database is not reachable.");
        }
    }
}
