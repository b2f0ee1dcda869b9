using System.Net;
using Cortex.CoreServer.FunctionalTests.Infrastructure;
using Xunit;

namespace Cortex.CoreServer.FunctionalTests;

public sealed class HealthTests(CortexApp app) : IClassFixture<CortexApp>
{
    [Fact]
    public async Task Healthz_and_readyz_answer_without_authentication()
    {
        using var client = app.Client();
        Assert.Equal("alive", (await Expect.Json(await client.GetAsync("/healthz"), HttpStatusCode.OK)).GetProperty("status").GetString());
        var ready = await Expect.Json(await client.GetAsync("/readyz"), HttpStatusCode.OK);
        Assert.Equal("ready", ready.GetProperty("status").GetString());
        Assert.Equal("reachable", ready.GetProperty("objectStore").GetString());
    }

    [Fact]
    public async Task The_fixture_database_has_the_vector_extension()
    {
        Assert.Equal("vector", await app.Database.ScalarAsync("SELECT extname FROM pg_extension WHERE extname = 'vector'"));
    }

    [Fact]
    public async Task Unknown_routes_are_not_found_problems()
    {
        using var client = app.AdminClient();
        await Expect.Problem(await client.GetAsync("/api/v1/nothing-here"), HttpStatusCode.NotFound, "not-found");
    }
}
