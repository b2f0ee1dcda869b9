using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Cortex.CoreServer.FunctionalTests.Infrastructure;
using Cortex.SharedModel.Principals;
using Xunit;

namespace Cortex.CoreServer.FunctionalTests;

/// <summary>Merging a subcortex moves its content, redirects its slug, feeds replicas and search, and is audited.</summary>
public sealed class SubcortexMergeTests(CortexApp app) : IClassFixture<CortexApp>
{
    [Fact]
    public async Task A_merge_moves_content_and_the_old_slug_resolves_to_the_target()
    {
        using var admin = app.AdminClient();
        await ThreadsTests.CreateSubcortexAsync(admin, "merge-old");
        await ThreadsTests.CreateSubcortexAsync(admin, "merge-new");
        var thread = await ThreadsTests.CreateThreadAsync(admin, "merge-old", "Quokka migration notes");
        await Expect.Status(
            await admin.PostAsJsonAsync("/api/v1/observations", new { clientId = "merge-1", subcortex = "merge-old", kind = "note", text = "seen" }),
            HttpStatusCode.Created);
        var task = await Expect.Json(
            await admin.PostAsJsonAsync("/api/v1/subcortexes/merge-old/tasks", new { title = "Follow up" }), HttpStatusCode.Created);
        var head = (await Expect.Json(await admin.GetAsync("/api/v1/changes?after=0&limit=1"), HttpStatusCode.OK)).GetProperty("head").GetInt64();

        var reviewer = await app.CreatePrincipalAsync("merge-reviewer", Role.Reviewer);
        using var review = app.Client(reviewer.Key);
        var merged = await Expect.Json(
            await review.PostAsJsonAsync("/api/v1/subcortexes/merge-old/merge", new { into = "merge-new" }), HttpStatusCode.OK);
        var targetId = merged.GetProperty("target").GetProperty("id").GetString()!;
        var sourceId = merged.GetProperty("source").GetProperty("id").GetString()!;
        Assert.Equal("merged", merged.GetProperty("source").GetProperty("state").GetString());
        Assert.Equal(targetId, merged.GetProperty("source").GetProperty("mergedIntoId").GetString());
        Assert.Equal((1, 1, 1), (
            merged.GetProperty("moved").GetProperty("threads").GetInt32(),
            merged.GetProperty("moved").GetProperty("observations").GetInt32(),
            merged.GetProperty("moved").GetProperty("tasks").GetInt32()));

        // The old slug answers with the target and names the target's address; old thread links keep working.
        var resolved = await admin.GetAsync("/api/v1/subcortexes/merge-old");
        var body = await Expect.Json(resolved, HttpStatusCode.OK);
        Assert.Equal("merge-new", body.GetProperty("slug").GetString());
        Assert.Equal("/api/v1/subcortexes/merge-new", resolved.Content.Headers.ContentLocation?.ToString());
        var moved = await Expect.Json(await admin.GetAsync($"/api/v1/threads/{thread}"), HttpStatusCode.OK);
        Assert.Equal(targetId, moved.GetProperty("subcortexId").GetString());
        Assert.Equal(2, moved.GetProperty("version").GetInt64());
        var listed = await Expect.Json(await admin.GetAsync("/api/v1/subcortexes/merge-old/threads"), HttpStatusCode.OK);
        Assert.Contains(listed.GetProperty("items").EnumerateArray(), t => t.GetProperty("id").GetString() == thread);
        await Expect.Problem(await admin.PostAsync("/api/v1/subcortexes/merge-old/archive", null), HttpStatusCode.Conflict, "conflict");
        Assert.Equal("active", (await Expect.Json(await admin.GetAsync("/api/v1/subcortexes/merge-new"), HttpStatusCode.OK)).GetProperty("state").GetString());
        var newThread = await ThreadsTests.CreateThreadAsync(admin, "merge-old", "Written to the old slug");
        Assert.Equal(targetId, (await Expect.Json(await admin.GetAsync($"/api/v1/threads/{newThread}"), HttpStatusCode.OK)).GetProperty("subcortexId").GetString());

        // Search and the change feed follow: replicas receive every moved item under the target.
        var hits = await Expect.Json(await admin.GetAsync("/api/v1/search?q=quokka"), HttpStatusCode.OK);
        Assert.Equal("merge-new", Assert.Single(hits.GetProperty("items").EnumerateArray()).GetProperty("subcortex").GetString());
        var changes = (await Expect.Json(await admin.GetAsync($"/api/v1/changes?after={head}"), HttpStatusCode.OK))
            .GetProperty("changes").EnumerateArray().ToList();
        Assert.Contains(changes, c => Is(c, "thread", thread) && c.GetProperty("subcortexId").GetString() == targetId);
        Assert.Contains(changes, c => Is(c, "task", task.GetProperty("id").GetString()!) && c.GetProperty("subcortexId").GetString() == targetId);
        Assert.Contains(changes, c => c.GetProperty("entity").GetString() == "observation" && c.GetProperty("subcortexId").GetString() == targetId);
        Assert.Contains(changes, c => Is(c, "subcortex", sourceId));
        Assert.Equal(
            1L,
            await app.Database.CountAsync("audit_events", $"action = 'subcortex.merge' AND target_id = '{sourceId}' AND principal_id = '{reviewer.Id}'"));
        Assert.Equal(0L, await app.Database.CountAsync("threads", $"subcortex_id = '{sourceId}'"));
    }

    [Fact]
    public async Task Only_reviewers_and_admins_merge_and_only_sensible_pairs()
    {
        using var admin = app.AdminClient();
        foreach (var slug in new[] { "mp-a", "mp-b", "mp-c" })
        {
            await ThreadsTests.CreateSubcortexAsync(admin, slug);
        }

        await ThreadsTests.CreateSubcortexAsync(admin, "mp-private", isPrivate: true);
        foreach (var role in new[] { Role.Member, Role.Agent, Role.Reader })
        {
            var principal = await app.CreatePrincipalAsync($"mp-{role.ToString().ToLowerInvariant()}", role);
            using var client = app.Client(principal.Key);
            await Expect.Problem(
                await client.PostAsJsonAsync("/api/v1/subcortexes/mp-a/merge", new { into = "mp-b" }), HttpStatusCode.Forbidden, "forbidden");
        }

        var self = await Expect.Problem(
            await admin.PostAsJsonAsync("/api/v1/subcortexes/mp-a/merge", new { into = "mp-a" }), HttpStatusCode.BadRequest, "validation");
        Assert.True(self.GetProperty("errors").TryGetProperty("into", out _));
        await Expect.Problem(
            await admin.PostAsJsonAsync("/api/v1/subcortexes/mp-a/merge", new { into = "mp-missing" }), HttpStatusCode.BadRequest, "validation");
        await Expect.Problem(
            await admin.PostAsJsonAsync("/api/v1/subcortexes/mp-a/merge", new { into = "mp-private" }), HttpStatusCode.Conflict, "conflict");

        await Expect.Status(await admin.PostAsJsonAsync("/api/v1/subcortexes/mp-a/merge", new { into = "mp-b" }), HttpStatusCode.OK);
        await Expect.Problem(
            await admin.PostAsJsonAsync("/api/v1/subcortexes/mp-a/merge", new { into = "mp-c" }), HttpStatusCode.Conflict, "conflict");
        await Expect.Problem(
            await admin.PostAsJsonAsync("/api/v1/subcortexes/mp-c/merge", new { into = "mp-a" }), HttpStatusCode.Conflict, "conflict");

        // A later merge of the target makes a chain; the first slug follows it to the end.
        await Expect.Status(await admin.PostAsJsonAsync("/api/v1/subcortexes/mp-b/merge", new { into = "mp-c" }), HttpStatusCode.OK);
        var resolved = await Expect.Json(await admin.GetAsync("/api/v1/subcortexes/mp-a"), HttpStatusCode.OK);
        Assert.Equal("mp-c", resolved.GetProperty("slug").GetString());
    }

    private static bool Is(JsonElement change, string entity, string id) =>
        change.GetProperty("entity").GetString() == entity && change.GetProperty("entityId").GetString() == id;
}
