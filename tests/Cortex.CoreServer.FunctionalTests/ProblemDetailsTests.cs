using System.Net;
using System.Text;
using Cortex.CoreServer.FunctionalTests.Infrastructure;
using Xunit;

namespace Cortex.CoreServer.FunctionalTests;

/// <summary>Errors raised by the framework, not by Cortex code, are RFC 7807 problems too.</summary>
public sealed class ProblemDetailsTests(CortexApp app) : IClassFixture<CortexApp>
{
    [Fact]
    public async Task A_method_the_route_does_not_have_is_a_405_problem()
    {
        using var admin = app.AdminClient();
        using var body = new StringContent("{}", Encoding.UTF8, "application/json");
        await Expect.Problem(await admin.PutAsync("/api/v1/subcortexes", body), HttpStatusCode.MethodNotAllowed, "method-not-allowed");
        await Expect.Problem(await admin.DeleteAsync("/api/v1/audit"), HttpStatusCode.MethodNotAllowed, "method-not-allowed");
    }

    [Theory]
    [InlineData("/api/v1/subcortexes?limit=many")]
    [InlineData("/api/v1/changes?after=yesterday")]
    [InlineData("/api/v1/audit?limit=1e9")]
    public async Task A_query_parameter_of_the_wrong_type_is_a_400_problem(string url)
    {
        using var admin = app.AdminClient();
        var response = await admin.GetAsync(url);
        await Expect.Status(response, HttpStatusCode.BadRequest);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("   at ", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
