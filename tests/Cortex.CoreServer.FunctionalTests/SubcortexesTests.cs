using System.Net;
using System.Net.Http.Json;
using Cortex.CoreServer.FunctionalTests.Infrastructure;
using Cortex.SharedModel.Principals;
using Xunit;

namespace Cortex.CoreServer.FunctionalTests;

public sealed class SubcortexesTests(CortexApp app) : IClassFixture<CortexApp>
{
    [Fact]
    public async Task Subcortexes_are_created_read_by_slug_updated_listed_and_archived()
    {
        using var admin = app.AdminClient();
        var created = await Expect.Json(
            await admin.PostAsJsonAsync("/api/v1/subcortexes", new { slug = "sub-ops", name = "Operations", description = "Runbooks" }),
            HttpStatusCode.Created);
        Assert.Equal("active", created.GetProperty("state").GetString());

        var read = await Expect.Json(await admin.GetAsync("/api/v1/subcortexes/sub-ops"), HttpStatusCode.OK);
        Assert.Equal("Runbooks", read.GetProperty("description").GetString());

        var updated = await Expect.Json(
            await admin.PatchAsJsonAsync("/api/v1/subcortexes/sub-ops", new { name = "Ops", version = 1 }), HttpStatusCode.OK);
        Assert.Equal("Ops", updated.GetProperty("name").GetString());
        Assert.Equal(2, updated.GetProperty("version").GetInt64());

        var list = await Expect.Json(await admin.GetAsync("/api/v1/subcortexes"), HttpStatusCode.OK);
        Assert.Contains(list.GetProperty("items").EnumerateArray(), s => s.GetProperty("slug").GetString() == "sub-ops");

        var archived = await Expect.Json(await admin.PostAsync("/api/v1/subcortexes/sub-ops/archive", null), HttpStatusCode.OK);
        Assert.Equal("archived", archived.GetProperty("state").GetString());
        await Expect.Problem(
            await admin.PostAsJsonAsync("/api/v1/subcortexes/sub-ops/threads", new { title = "t", body = "b" }),
            HttpStatusCode.Conflict,
            "conflict");
    }

    [Fact]
    public async Task A_taken_slug_is_a_validation_problem_on_the_slug_field()
    {
        using var admin = app.AdminClient();
        await ThreadsTests.CreateSubcortexAsync(admin, "sub-taken");
        var problem = await Expect.Problem(
            await admin.PostAsJsonAsync("/api/v1/subcortexes", new { slug = "sub-taken", name = "Again" }), HttpStatusCode.BadRequest, "validation");
        Assert.True(problem.GetProperty("errors").TryGetProperty("slug", out _));
        Assert.Equal(1L, await app.Database.CountAsync("subcortexes", "slug = 'sub-taken'"));
    }

    [Fact]
    public async Task Private_subcortexes_and_their_threads_are_visible_to_members_and_admins_only()
    {
        using var admin = app.AdminClient();
        await ThreadsTests.CreateSubcortexAsync(admin, "sub-secret", isPrivate: true);
        var thread = await ThreadsTests.CreateThreadAsync(admin, "sub-secret", "Secret plans");
        var outsider = await app.CreatePrincipalAsync("sub-outsider", Role.Reviewer);
        var insider = await app.CreatePrincipalAsync("sub-insider", Role.Member);
        await Expect.Status(await admin.PutAsync($"/api/v1/subcortexes/sub-secret/members/{insider.Id}", null), HttpStatusCode.NoContent);

        using var outside = app.Client(outsider.Key);
        await Expect.Problem(await outside.GetAsync("/api/v1/subcortexes/sub-secret"), HttpStatusCode.Forbidden, "forbidden");
        await Expect.Problem(await outside.GetAsync($"/api/v1/threads/{thread}"), HttpStatusCode.Forbidden, "forbidden");
        await Expect.Problem(await outside.GetAsync($"/api/v1/threads/{thread}/comments"), HttpStatusCode.Forbidden, "forbidden");
        var outsideList = await Expect.Json(await outside.GetAsync("/api/v1/subcortexes"), HttpStatusCode.OK);
        Assert.DoesNotContain(outsideList.GetProperty("items").EnumerateArray(), s => s.GetProperty("slug").GetString() == "sub-secret");

        using var inside = app.Client(insider.Key);
        await Expect.Status(await inside.GetAsync($"/api/v1/threads/{thread}"), HttpStatusCode.OK);
        var insideList = await Expect.Json(await inside.GetAsync("/api/v1/subcortexes"), HttpStatusCode.OK);
        Assert.Contains(insideList.GetProperty("items").EnumerateArray(), s => s.GetProperty("slug").GetString() == "sub-secret");
        var members = await Expect.Json(await inside.GetAsync("/api/v1/subcortexes/sub-secret/members"), HttpStatusCode.OK);
        Assert.Contains(members.EnumerateArray(), m => m.GetString() == insider.Id);

        await Expect.Status(await admin.DeleteAsync($"/api/v1/subcortexes/sub-secret/members/{insider.Id}"), HttpStatusCode.NoContent);
        await Expect.Problem(await inside.GetAsync($"/api/v1/threads/{thread}"), HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task Subcortex_lists_page_by_slug()
    {
        using var admin = app.AdminClient();
        foreach (var slug in new[] { "page-a", "page-b", "page-c" })
        {
            await ThreadsTests.CreateSubcortexAsync(admin, slug);
        }

        var slugs = new List<string>();
        string? cursor = null;
        do
        {
            var page = await Expect.Json(
                await admin.GetAsync("/api/v1/subcortexes?limit=2" + (cursor is null ? "" : "&cursor=" + cursor)), HttpStatusCode.OK);
            slugs.AddRange(page.GetProperty("items").EnumerateArray().Select(s => s.GetProperty("slug").GetString()!));
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        Assert.Equal(slugs.Order(StringComparer.Ordinal), slugs);
        Assert.Equal(slugs.Distinct().Count(), slugs.Count);
        Assert.Contains("page-b", slugs);
    }
}
