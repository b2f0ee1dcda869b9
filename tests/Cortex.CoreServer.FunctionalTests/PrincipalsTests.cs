using System.Net;
using System.Net.Http.Json;
using Cortex.CoreServer.FunctionalTests.Infrastructure;
using Cortex.SharedModel.Principals;
using Xunit;

namespace Cortex.CoreServer.FunctionalTests;

public sealed class PrincipalsTests(CortexApp app) : IClassFixture<CortexApp>
{
    [Fact]
    public async Task Admins_create_read_list_and_update_principals()
    {
        using var admin = app.AdminClient();
        var created = await Expect.Json(
            await admin.PostAsJsonAsync("/api/v1/principals", new { handle = "ci-bot", displayName = "CI bot", kind = "agent", role = "agent" }),
            HttpStatusCode.Created);
        var id = created.GetProperty("id").GetString()!;
        Assert.Equal("agent", created.GetProperty("kind").GetString());

        var read = await Expect.Json(await admin.GetAsync($"/api/v1/principals/{id}"), HttpStatusCode.OK);
        Assert.Equal("ci-bot", read.GetProperty("handle").GetString());

        var updated = await Expect.Json(
            await admin.PatchAsJsonAsync($"/api/v1/principals/{id}", new { displayName = "CI robot", version = 1 }), HttpStatusCode.OK);
        Assert.Equal("CI robot", updated.GetProperty("displayName").GetString());
        Assert.Equal(2, updated.GetProperty("version").GetInt64());

        var list = await Expect.Json(await admin.GetAsync("/api/v1/principals?limit=1"), HttpStatusCode.OK);
        Assert.Equal(1, list.GetProperty("items").GetArrayLength());
        var next = list.GetProperty("nextCursor").GetString();
        var rest = await Expect.Json(await admin.GetAsync($"/api/v1/principals?limit=200&cursor={next}"), HttpStatusCode.OK);
        Assert.Contains(
            id,
            list.GetProperty("items").EnumerateArray().Concat(rest.GetProperty("items").EnumerateArray()).Select(p => p.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task Handles_are_unique_and_invalid_principals_are_validation_problems()
    {
        using var admin = app.AdminClient();
        await app.CreatePrincipalAsync("unique-handle", Role.Member);
        var taken = await Expect.Problem(
            await admin.PostAsJsonAsync("/api/v1/principals", new { handle = "unique-handle", displayName = "Again", role = "member" }),
            HttpStatusCode.BadRequest,
            "validation");
        Assert.True(taken.GetProperty("errors").TryGetProperty("handle", out _));
        var invalid = await Expect.Problem(
            await admin.PostAsJsonAsync("/api/v1/principals", new { handle = "X", displayName = "", kind = "agent", role = "admin" }),
            HttpStatusCode.BadRequest,
            "validation");
        Assert.Equal(["displayName", "handle", "role"], invalid.GetProperty("errors").EnumerateObject().Select(e => e.Name).Order());
    }

    [Fact]
    public async Task An_admin_cannot_lock_themselves_out()
    {
        using var admin = app.AdminClient();
        await Expect.Problem(
            await admin.PatchAsJsonAsync($"/api/v1/principals/{app.AdminId}", new { disabled = true, version = 1 }), HttpStatusCode.Conflict, "conflict");
        await Expect.Problem(
            await admin.PatchAsJsonAsync($"/api/v1/principals/{app.AdminId}", new { role = "member", version = 1 }), HttpStatusCode.Conflict, "conflict");
        await Expect.Status(await admin.GetAsync("/api/v1/principals/me"), HttpStatusCode.OK);
    }

    [Fact]
    public async Task Principals_read_themselves_but_agents_and_readers_not_others()
    {
        var agent = await app.CreatePrincipalAsync("self-agent", Role.Agent);
        using var client = app.Client(agent.Key);
        await Expect.Status(await client.GetAsync($"/api/v1/principals/{agent.Id}"), HttpStatusCode.OK);
        await Expect.Problem(await client.GetAsync($"/api/v1/principals/{app.AdminId}"), HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task Admins_read_the_audit_log_newest_first_with_pagination()
    {
        var member = await app.CreatePrincipalAsync("audited-member", Role.Member);
        using var client = app.Client(member.Key);
        await Expect.Problem(await client.GetAsync("/api/v1/audit"), HttpStatusCode.Forbidden, "forbidden");

        using var admin = app.AdminClient();
        var page = await Expect.Json(await admin.GetAsync("/api/v1/audit?limit=2"), HttpStatusCode.OK);
        var events = page.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(2, events.Count);
        Assert.True(events[0].GetProperty("id").GetInt64() > events[1].GetProperty("id").GetInt64());
        Assert.Equal("request.denied", events[0].GetProperty("action").GetString());
        Assert.Equal(member.Id, events[0].GetProperty("principalId").GetString());
        Assert.Equal("/api/v1/audit", events[0].GetProperty("path").GetString());

        var next = await Expect.Json(
            await admin.GetAsync($"/api/v1/audit?limit=2&cursor={page.GetProperty("nextCursor").GetString()}"), HttpStatusCode.OK);
        Assert.True(next.GetProperty("items")[0].GetProperty("id").GetInt64() < events[1].GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task The_audit_log_is_append_only()
    {
        var failure = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => app.Database.ScalarAsync("UPDATE audit_events SET action = 'x'"));
        Assert.Contains("append-only", failure.MessageText, StringComparison.Ordinal);
        await Assert.ThrowsAsync<Npgsql.PostgresException>(() => app.Database.ScalarAsync("DELETE FROM audit_events"));
        await Assert.ThrowsAsync<Npgsql.PostgresException>(() => app.Database.ScalarAsync("TRUNCATE audit_events"));
    }
}
