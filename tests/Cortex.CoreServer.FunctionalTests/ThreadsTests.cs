using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Cortex.CoreServer.FunctionalTests.Infrastructure;
using Cortex.SharedModel.Principals;
using Xunit;

namespace Cortex.CoreServer.FunctionalTests;

public sealed class ThreadsTests(CortexApp app) : IClassFixture<CortexApp>
{
    [Fact]
    public async Task Threads_can_be_created_read_updated_and_listed()
    {
        using var admin = app.AdminClient();
        await CreateSubcortexAsync(admin, "threads-crud");

        var created = await Expect.Json(
            await admin.PostAsJsonAsync("/api/v1/subcortexes/threads-crud/threads", new { title = "Disk full", body = "The **disk** filled up.", kind = "incident" }),
            HttpStatusCode.Created);
        var id = created.GetProperty("id").GetString()!;
        Assert.Equal("incident", created.GetProperty("kind").GetString());
        Assert.Equal("<p>The <strong>disk</strong> filled up.</p>\n", created.GetProperty("bodyHtml").GetString());
        Assert.Equal(1, created.GetProperty("version").GetInt64());
        Assert.Equal(app.AdminId, created.GetProperty("authorId").GetString());

        var get = await admin.GetAsync($"/api/v1/threads/{id}");
        Assert.Equal("\"1\"", get.Headers.ETag?.ToString());
        var read = await Expect.Json(get, HttpStatusCode.OK);
        Assert.Equal("Disk full", read.GetProperty("title").GetString());
        Assert.Equal("The **disk** filled up.", read.GetProperty("body").GetString());

        using var update = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/threads/{id}")
        {
            Content = JsonContent.Create(new { title = "Disk full on db-1", body = "Fixed by _rotating_ logs." }),
        };
        update.Headers.IfMatch.ParseAdd("\"1\"");
        var updated = await Expect.Json(await admin.SendAsync(update), HttpStatusCode.OK);
        Assert.Equal(2, updated.GetProperty("version").GetInt64());
        Assert.Equal("Disk full on db-1", updated.GetProperty("title").GetString());
        Assert.Equal("<p>Fixed by <em>rotating</em> logs.</p>\n", updated.GetProperty("bodyHtml").GetString());
        Assert.Equal("incident", updated.GetProperty("kind").GetString());

        var list = await Expect.Json(await admin.GetAsync("/api/v1/subcortexes/threads-crud/threads"), HttpStatusCode.OK);
        Assert.Equal(id, Assert.Single(list.GetProperty("items").EnumerateArray()).GetProperty("id").GetString());
    }

    [Fact]
    public async Task Stale_updates_are_refused_with_412_for_if_match_and_409_for_a_version_field()
    {
        using var admin = app.AdminClient();
        await CreateSubcortexAsync(admin, "threads-stale");
        var id = await CreateThreadAsync(admin, "threads-stale", "Versioned");
        await Expect.Status(await admin.PatchAsJsonAsync($"/api/v1/threads/{id}", new { title = "v2", version = 1 }), HttpStatusCode.OK);

        using var stale = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/threads/{id}") { Content = JsonContent.Create(new { title = "lost" }) };
        stale.Headers.IfMatch.ParseAdd("\"1\"");
        await Expect.Problem(await admin.SendAsync(stale), HttpStatusCode.PreconditionFailed, "precondition-failed");
        await Expect.Problem(
            await admin.PatchAsJsonAsync($"/api/v1/threads/{id}", new { title = "lost", version = 1 }), HttpStatusCode.Conflict, "version-conflict");
        await Expect.Problem(
            await admin.PatchAsJsonAsync($"/api/v1/threads/{id}", new { title = "lost" }), HttpStatusCode.PreconditionRequired, "precondition-required");

        var read = await Expect.Json(await admin.GetAsync($"/api/v1/threads/{id}"), HttpStatusCode.OK);
        Assert.Equal("v2", read.GetProperty("title").GetString());
        Assert.Equal(2, read.GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task Thread_lists_page_with_an_opaque_cursor_newest_first_without_gaps_or_repeats()
    {
        using var admin = app.AdminClient();
        await CreateSubcortexAsync(admin, "threads-paging");
        var created = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            created.Add(await CreateThreadAsync(admin, "threads-paging", $"Thread {i}"));
        }

        var seen = new List<string>();
        var pages = 0;
        string? cursor = null;
        do
        {
            var url = "/api/v1/subcortexes/threads-paging/threads?limit=3" + (cursor is null ? "" : "&cursor=" + cursor);
            var page = await Expect.Json(await admin.GetAsync(url), HttpStatusCode.OK);
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("id").GetString()!));
            cursor = page.GetProperty("nextCursor").GetString();
            pages++;
        }
        while (cursor is not null);

        Assert.Equal(3, pages);
        Assert.Equal(created.OrderByDescending(id => id, StringComparer.Ordinal), seen);
        await Expect.Problem(
            await admin.GetAsync("/api/v1/subcortexes/threads-paging/threads?cursor=not-a-cursor"), HttpStatusCode.BadRequest, "validation");
        await Expect.Problem(
            await admin.GetAsync("/api/v1/subcortexes/threads-paging/threads?limit=0"), HttpStatusCode.BadRequest, "validation");
    }

    [Fact]
    public async Task Comments_are_created_rendered_safely_and_listed_in_order_with_pagination()
    {
        using var admin = app.AdminClient();
        await CreateSubcortexAsync(admin, "threads-comments");
        var thread = await CreateThreadAsync(admin, "threads-comments", "With comments");
        for (var i = 0; i < 3; i++)
        {
            var comment = await Expect.Json(
                await admin.PostAsJsonAsync($"/api/v1/threads/{thread}/comments", new { body = $"Reply {i} <img src=x onerror=alert(1)>" }),
                HttpStatusCode.Created);
            Assert.DoesNotContain("<img", comment.GetProperty("bodyHtml").GetString(), StringComparison.Ordinal);
        }

        var first = await Expect.Json(await admin.GetAsync($"/api/v1/threads/{thread}/comments?limit=2"), HttpStatusCode.OK);
        var second = await Expect.Json(
            await admin.GetAsync($"/api/v1/threads/{thread}/comments?limit=2&cursor={first.GetProperty("nextCursor").GetString()}"),
            HttpStatusCode.OK);
        var bodies = first.GetProperty("items").EnumerateArray().Concat(second.GetProperty("items").EnumerateArray())
            .Select(c => c.GetProperty("body").GetString()!.Split(' ')[1]).ToList();
        Assert.Equal(["0", "1", "2"], bodies);
        Assert.Equal(JsonValueKind.Null, second.GetProperty("nextCursor").ValueKind);
    }

    [Fact]
    public async Task Invalid_threads_are_400_problems_listing_the_fields_and_write_nothing()
    {
        using var admin = app.AdminClient();
        await CreateSubcortexAsync(admin, "threads-invalid");
        var before = await app.Database.CountAsync("threads");
        var problem = await Expect.Problem(
            await admin.PostAsJsonAsync("/api/v1/subcortexes/threads-invalid/threads", new { title = "", body = "x", kind = "rant" }),
            HttpStatusCode.BadRequest,
            "validation");
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty("title", out _));
        Assert.True(errors.TryGetProperty("kind", out _));
        Assert.False(errors.TryGetProperty("body", out _));
        await Expect.Problem(
            await admin.PostAsJsonAsync("/api/v1/subcortexes/no-such-place/threads", new { title = "t", body = "b" }),
            HttpStatusCode.NotFound,
            "not-found");
        await Expect.Problem(await admin.GetAsync("/api/v1/threads/01J00000000000000000000000"), HttpStatusCode.NotFound, "not-found");
        Assert.Equal(before, await app.Database.CountAsync("threads"));
    }

    [Fact]
    public async Task Authors_update_their_own_threads_but_not_others()
    {
        using var admin = app.AdminClient();
        await CreateSubcortexAsync(admin, "threads-owner");
        var alice = await app.CreatePrincipalAsync("owner-alice", Role.Member);
        var bob = await app.CreatePrincipalAsync("owner-bob", Role.Member);
        using var aliceClient = app.Client(alice.Key);
        using var bobClient = app.Client(bob.Key);
        var id = await CreateThreadAsync(aliceClient, "threads-owner", "Alice's");

        await Expect.Problem(
            await bobClient.PatchAsJsonAsync($"/api/v1/threads/{id}", new { title = "Bob's now", version = 1 }), HttpStatusCode.Forbidden, "forbidden");
        await Expect.Status(await aliceClient.PatchAsJsonAsync($"/api/v1/threads/{id}", new { title = "Still Alice's", version = 1 }), HttpStatusCode.OK);
        await Expect.Status(await admin.PatchAsJsonAsync($"/api/v1/threads/{id}", new { kind = "question", version = 2 }), HttpStatusCode.OK);
    }

    internal static async Task CreateSubcortexAsync(HttpClient client, string slug, bool isPrivate = false) =>
        await Expect.Status(
            await client.PostAsJsonAsync("/api/v1/subcortexes", new { slug, name = slug, isPrivate }), HttpStatusCode.Created);

    internal static async Task<string> CreateThreadAsync(HttpClient client, string slug, string title, string body = "Body.")
    {
        var created = await Expect.Json(
            await client.PostAsJsonAsync($"/api/v1/subcortexes/{slug}/threads", new { title, body }), HttpStatusCode.Created);
        return created.GetProperty("id").GetString()!;
    }
}
