using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit;

namespace Cortex.CoreServer.FunctionalTests.Infrastructure;

public static class Expect
{
    public static async Task Status(HttpResponseMessage response, HttpStatusCode expected)
    {
        if (response.StatusCode != expected)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.Fail($"Expected {(int)expected} {expected}, got {(int)response.StatusCode} {response.StatusCode}: {body}");
        }
    }

    public static async Task<JsonElement> Json(HttpResponseMessage response, HttpStatusCode expected)
    {
        await Status(response, expected);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>Asserts an RFC 7807 problem of the given status and Cortex type, without a stack trace, and returns it.</summary>
    public static async Task<JsonElement> Problem(HttpResponseMessage response, HttpStatusCode status, string type)
    {
        await Status(response, status);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
        var problem = JsonDocument.Parse(text).RootElement.Clone();
        Assert.Equal("urn:cortex:problem:" + type, problem.GetProperty("type").GetString());
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        return problem;
    }
}
