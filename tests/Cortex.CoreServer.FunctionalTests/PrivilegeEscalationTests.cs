using System.Net;
using System.Net.Http.Json;
using Cortex.CoreServer.FunctionalTests.Infrastructure;
using Cortex.SharedModel.Principals;
using Xunit;

namespace Cortex.CoreServer.FunctionalTests;

public sealed class PrivilegeEscalationTests(CortexApp app) : IClassFixture<CortexApp>
{
    [Fact]
    public async Task A_member_cannot_use_admin_endpoints_and_every_denial_is_audited()
    {
        var member = await app.CreatePrincipalAsync("esc-member", Role.Member);
        using var client = app.Client(member.Key);
        var denialsBefore = await app.Database.CountAsync("audit_events", $"outcome = 'denied' AND principal_id = '{member.Id}'");
        var principalsBefore = await app.Database.CountAsync("principals");

        await Expect.Problem(await client.GetAsync("/api/v1/principals"), HttpStatusCode.Forbidden, "forbidden");
        await Expect.Problem(await client.GetAsync("/api/v1/audit"), HttpStatusCode.Forbidden, "forbidden");
        await Expect.Problem(
            await client.PostAsJsonAsync("/api/v1/principals", new { handle = "sneaky", displayName = "S", role = "admin" }),
            HttpStatusCode.Forbidden,
            "forbidden");
        await Expect.Problem(
            await client.PatchAsJsonAsync($"/api/v1/principals/{member.Id}", new { role = "admin", version = 1 }),
            HttpStatusCode.Forbidden,
            "forbidden");

        Assert.Equal(principalsBefore, await app.Database.CountAsync("principals"));
        Assert.Equal("member", await app.Database.ScalarAsync($"SELECT role FROM principals WHERE id = '{member.Id}'"));
        Assert.Equal(denialsBefore + 4, await app.Database.CountAsync("audit_events", $"outcome = 'denied' AND principal_id = '{member.Id}'"));
    }

    [Fact]
    public async Task An_agent_cannot_create_principals_or_subcortexes()
    {
        var agent = await app.CreatePrincipalAsync("esc-agent", Role.Agent);
        using var client = app.Client(agent.Key);
        await Expect.Problem(
            await client.PostAsJsonAsync("/api/v1/principals", new { handle = "agent-made", displayName = "A", kind = "agent", role = "agent" }),
            HttpStatusCode.Forbidden,
            "forbidden");
        await Expect.Problem(
            await client.PostAsJsonAsync("/api/v1/subcortexes", new { slug = "agent-space", name = "A" }), HttpStatusCode.Forbidden, "forbidden");
        Assert.Equal(0L, await app.Database.CountAsync("principals", "handle = 'agent-made'"));
    }

    [Fact]
    public async Task A_key_only_manages_its_own_principals_keys()
    {
        var alice = await app.CreatePrincipalAsync("esc-alice", Role.Member);
        var bob = await app.CreatePrincipalAsync("esc-bob", Role.Reviewer);
        using var aliceClient = app.Client(alice.Key);

        await Expect.Problem(await aliceClient.GetAsync($"/api/v1/keys/{bob.KeyId}"), HttpStatusCode.Forbidden, "forbidden");
        await Expect.Problem(await aliceClient.DeleteAsync($"/api/v1/keys/{bob.KeyId}"), HttpStatusCode.Forbidden, "forbidden");
        await Expect.Problem(await aliceClient.GetAsync($"/api/v1/principals/{bob.Id}/keys"), HttpStatusCode.Forbidden, "forbidden");
        await Expect.Problem(
            await aliceClient.PostAsJsonAsync($"/api/v1/principals/{app.AdminId}/keys", new { name = "mine now" }),
            HttpStatusCode.Forbidden,
            "forbidden");

        using var bobClient = app.Client(bob.Key);
        await Expect.Status(await bobClient.GetAsync("/api/v1/principals/me"), HttpStatusCode.OK);
        Assert.Equal(1L, await app.Database.CountAsync("api_keys", $"principal_id = '{app.AdminId}'"));
    }

    [Fact]
    public async Task A_reader_cannot_write_content()
    {
        using var admin = app.AdminClient();
        await ThreadsTests.CreateSubcortexAsync(admin, "esc-readers");
        var thread = await ThreadsTests.CreateThreadAsync(admin, "esc-readers", "Read only");
        var reader = await app.CreatePrincipalAsync("esc-reader", Role.Reader);
        using var client = app.Client(reader.Key);

        await Expect.Status(await client.GetAsync($"/api/v1/threads/{thread}"), HttpStatusCode.OK);
        await Expect.Problem(
            await client.PostAsJsonAsync("/api/v1/subcortexes/esc-readers/threads", new { title = "t", body = "b" }),
            HttpStatusCode.Forbidden,
            "forbidden");
        await Expect.Problem(
            await client.PostAsJsonAsync($"/api/v1/threads/{thread}/comments", new { body = "b" }), HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task A_member_cannot_archive_or_change_privacy_of_a_subcortex_it_created()
    {
        var member = await app.CreatePrincipalAsync("esc-proposer", Role.Member);
        using var client = app.Client(member.Key);
        var created = await Expect.Json(
            await client.PostAsJsonAsync("/api/v1/subcortexes", new { slug = "esc-proposed", name = "Proposed" }), HttpStatusCode.Created);
        Assert.Equal("proposed", created.GetProperty("state").GetString());

        await Expect.Status(
            await client.PatchAsJsonAsync("/api/v1/subcortexes/esc-proposed", new { description = "Better words", version = 1 }),
            HttpStatusCode.OK);
        await Expect.Problem(
            await client.PatchAsJsonAsync("/api/v1/subcortexes/esc-proposed", new { state = "active", version = 2 }),
            HttpStatusCode.Forbidden,
            "forbidden");
        await Expect.Problem(
            await client.PatchAsJsonAsync("/api/v1/subcortexes/esc-proposed", new { isPrivate = true, version = 2 }),
            HttpStatusCode.Forbidden,
            "forbidden");
        await Expect.Problem(await client.PostAsync("/api/v1/subcortexes/esc-proposed/archive", null), HttpStatusCode.Forbidden, "forbidden");
        Assert.Equal("proposed", await app.Database.ScalarAsync("SELECT state FROM subcortexes WHERE slug = 'esc-proposed'"));
    }
}
