using System.Net;
using System.Text;
using Cortex.CoreServer.FunctionalTests.Infrastructure;
using Xunit;

namespace Cortex.CoreServer.FunctionalTests;

/// <summary>A server with a small body limit (4 KiB).</summary>
public sealed class SmallBodyApp : CortexApp
{
    protected override void Configure(IDictionary<string, string?> settings) =>
        settings["Cortex:Limits:MaxRequestBodyBytes"] = "4096";
}

public sealed class LimitsTests(SmallBodyApp app) : IClassFixture<SmallBodyApp>
{
    [Fact]
    public async Task An_oversized_body_is_a_413_problem_and_nothing_is_written()
    {
        using var admin = app.AdminClient();
        await ThreadsTests.CreateSubcortexAsync(admin, "limits-size");
        var before = await app.Database.CountAsync("threads");
        var json = $$"""{"title":"Huge","body":"{{new string('x', 10_000)}}"}""";

        await Expect.Problem(
            await admin.PostAsync("/api/v1/subcortexes/limits-size/threads", new StringContent(json, Encoding.UTF8, "application/json")),
            HttpStatusCode.RequestEntityTooLarge,
            "payload-too-large");

        // Without a Content-Length the limit is enforced while reading.
        var chunked = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(json)));
        chunked.Headers.ContentType = new("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/subcortexes/limits-size/threads") { Content = chunked };
        request.Headers.TransferEncodingChunked = true;
        await Expect.Problem(await admin.SendAsync(request), HttpStatusCode.RequestEntityTooLarge, "payload-too-large");

        // Also when the idempotency middleware buffers the body.
        using var idempotent = new HttpRequestMessage(HttpMethod.Post, "/api/v1/subcortexes/limits-size/threads")
        {
            Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(json))),
        };
        idempotent.Content.Headers.ContentType = new("application/json");
        idempotent.Headers.TransferEncodingChunked = true;
        idempotent.Headers.Add("Idempotency-Key", "too-big");
        await Expect.Problem(await admin.SendAsync(idempotent), HttpStatusCode.RequestEntityTooLarge, "payload-too-large");

        Assert.Equal(before, await app.Database.CountAsync("threads"));
        Assert.Equal(0L, await app.Database.CountAsync("idempotency_keys"));
    }

    [Theory]
    [InlineData("{\"title\":", "malformed-request")]
    [InlineData("not json at all", "malformed-request")]
    [InlineData("[1,2,3]", "malformed-request")]
    [InlineData("{\"title\":42,\"body\":\"b\"}", "malformed-request")]
    [InlineData("{}", "validation")]
    [InlineData("null", "malformed-request")]
    public async Task Malformed_bodies_are_400_problems_and_nothing_is_written(string body, string type)
    {
        using var admin = app.AdminClient();
        var slug = "limits-malformed";
        if (await app.Database.CountAsync("subcortexes", $"slug = '{slug}'") == 0)
        {
            await ThreadsTests.CreateSubcortexAsync(admin, slug);
        }

        var before = await app.Database.CountAsync("threads");
        var changes = await app.Database.CountAsync("changes");
        await Expect.Problem(
            await admin.PostAsync($"/api/v1/subcortexes/{slug}/threads", new StringContent(body, Encoding.UTF8, "application/json")),
            HttpStatusCode.BadRequest,
            type);
        Assert.Equal(before, await app.Database.CountAsync("threads"));
        Assert.Equal(changes, await app.Database.CountAsync("changes"));
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_a_415_problem()
    {
        using var admin = app.AdminClient();
        await Expect.Problem(
            await admin.PostAsync("/api/v1/subcortexes", new StringContent("slug=x", Encoding.UTF8, "application/x-www-form-urlencoded")),
            HttpStatusCode.UnsupportedMediaType,
            "unsupported-media-type");
    }
}
