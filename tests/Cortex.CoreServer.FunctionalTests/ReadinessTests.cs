using System.Net;
using Cortex.CoreServer.FunctionalTests.Infrastructure;
using Cortex.Testing;
using Npgsql;
using Xunit;

namespace Cortex.CoreServer.FunctionalTests;

/// <summary>/readyz follows the database: a 503 problem while it refuses connections, ready again once it is back.</summary>
public sealed class ReadinessTests(CortexApp app) : IClassFixture<CortexApp>
{
    [Fact]
    public async Task Readyz_is_a_503_problem_while_the_database_refuses_connections_and_healthz_stays_up()
    {
        using var client = app.Client();
        await Expect.Status(await client.GetAsync("/readyz"), HttpStatusCode.OK);
        var name = app.Database.DatabaseName;
        await AsAdminAsync(
            $"ALTER DATABASE \"{name}\" ALLOW_CONNECTIONS false",
            $"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}' AND pid <> pg_backend_pid()");
        try
        {
            var problem = await Expect.Problem(await client.GetAsync("/readyz"), HttpStatusCode.ServiceUnavailable, "unavailable");
            Assert.DoesNotContain(name, problem.GetRawText(), StringComparison.Ordinal);
            await Expect.Status(await client.GetAsync("/healthz"), HttpStatusCode.OK);
        }
        finally
        {
            await AsAdminAsync($"ALTER DATABASE \"{name}\" ALLOW_CONNECTIONS true");
        }

        // Each pooled connection the termination broke fails once and is discarded; the pool is bounded.
        var recovered = false;
        for (var attempt = 0; attempt < 200 && !recovered; attempt++)
        {
            recovered = (await client.GetAsync("/readyz")).StatusCode == HttpStatusCode.OK;
        }

        Assert.True(recovered, "/readyz did not recover once the database accepted connections again");
    }

    private static async Task AsAdminAsync(params string[] statements)
    {
        var cluster = Environment.GetEnvironmentVariable(PostgresDatabase.EnvironmentVariable);
        var admin = new NpgsqlConnectionStringBuilder(cluster) { Database = "postgres", Pooling = false };
        await using var connection = new NpgsqlConnection(admin.ConnectionString);
        await connection.OpenAsync();
        foreach (var sql in statements)
        {
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync();
        }
    }
}
