using System.Net;
using Cortex.CoreServer.FunctionalTests.Infrastructure;
using Xunit;

namespace Cortex.CoreServer.FunctionalTests;

public sealed class UnexpectedErrorTests(CortexApp app) : IClassFixture<CortexApp>
{
    [Fact]
    public async Task An_unexpected_database_error_is_a_500_problem_that_reveals_nothing()
    {
        // Break the schema under the running server: the next thread read fails with an error nobody translates.
        await app.Database.ScalarAsync("ALTER TABLE comments RENAME TO comments_gone");
        using var admin = app.AdminClient();
        await ThreadsTests.CreateSubcortexAsync(admin, "broken");
        var thread = await ThreadsTests.CreateThreadAsync(admin, "broken", "Still readable");

        var response = await admin.GetAsync($"/api/v1/threads/{thread}/comments");
        var problem = await Expect.Problem(response, HttpStatusCode.InternalServerError, "internal");
        var text = problem.GetRawText();
        Assert.DoesNotContain("comments", text.Replace($"/api/v1/threads/{thread}/comments", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain("relation", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Npgsql", text, StringComparison.Ordinal);
        Assert.True(problem.TryGetProperty("traceId", out _));
    }
}
