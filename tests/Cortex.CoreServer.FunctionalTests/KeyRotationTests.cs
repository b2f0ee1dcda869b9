using System.Net;
using System.Net.Http.Json;
using Cortex.CoreServer.FunctionalTests.Infrastructure;
using Cortex.SharedModel.Principals;
using Xunit;

namespace Cortex.CoreServer.FunctionalTests;

/// <summary>Rotation with an overlap window: both keys work until the overlap ends, then only the new one does.</summary>
public sealed class KeyRotationTests(CortexApp app) : IClassFixture<CortexApp>
{
    [Fact]
    public async Task Rotating_issues_a_new_key_and_expires_the_old_one_when_the_overlap_ends()
    {
        var agent = await app.CreatePrincipalAsync("rotate-agent", Role.Agent);
        using var old = app.Client(agent.Key);

        // The principal rotates its own key (the runbook's agent path), keeping the old one for an hour.
        var rotated = await Expect.Json(
            await old.PostAsJsonAsync($"/api/v1/keys/{agent.KeyId}/rotate", new { overlapSeconds = 3600 }), HttpStatusCode.Created);
        var newKey = rotated.GetProperty("key").GetString()!;
        var newKeyId = rotated.GetProperty("apiKey").GetProperty("id").GetString()!;
        Assert.Equal(agent.Id, rotated.GetProperty("apiKey").GetProperty("principalId").GetString());
        Assert.Equal("test", rotated.GetProperty("apiKey").GetProperty("name").GetString());
        Assert.Equal(agent.KeyId, rotated.GetProperty("previous").GetProperty("id").GetString());
        Assert.Equal(app.Time.GetUtcNow().AddHours(1), rotated.GetProperty("previous").GetProperty("expiresAt").GetDateTimeOffset());

        using var fresh = app.Client(newKey);
        await Expect.Status(await old.GetAsync($"/api/v1/principals/{agent.Id}"), HttpStatusCode.OK);
        await Expect.Status(await fresh.GetAsync($"/api/v1/principals/{agent.Id}"), HttpStatusCode.OK);

        app.Time.Advance(TimeSpan.FromHours(1));
        var expired = await Expect.Problem(await old.GetAsync($"/api/v1/principals/{agent.Id}"), HttpStatusCode.Unauthorized, "unauthenticated");
        Assert.Contains("expired", expired.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await Expect.Status(await fresh.GetAsync($"/api/v1/principals/{agent.Id}"), HttpStatusCode.OK);

        Assert.Equal(1L, await app.Database.CountAsync("audit_events", $"action = 'key.rotate' AND target_id = '{agent.KeyId}' AND detail LIKE '%{newKeyId}%'"));
        Assert.Equal(1L, await app.Database.CountAsync("changes", $"entity = 'apiKey' AND entity_id = '{newKeyId}'"));

        // An expired key cannot be rotated (nor could a revoked one): create a new key instead.
        await Expect.Problem(
            await fresh.PostAsJsonAsync($"/api/v1/keys/{agent.KeyId}/rotate", new { overlapSeconds = 60 }), HttpStatusCode.Conflict, "conflict");
    }

    [Fact]
    public async Task Rotation_keeps_an_earlier_expiry_and_revocation_stays_immediate()
    {
        var member = await app.CreatePrincipalAsync("rotate-member", Role.Member);
        using var admin = app.AdminClient();
        var soon = app.Time.GetUtcNow().AddMinutes(10);
        var shortLived = await Expect.Json(
            await admin.PostAsJsonAsync($"/api/v1/principals/{member.Id}/keys", new { name = "short", expiresAt = soon }), HttpStatusCode.Created);
        var shortId = shortLived.GetProperty("apiKey").GetProperty("id").GetString()!;

        var rotated = await Expect.Json(
            await admin.PostAsJsonAsync($"/api/v1/keys/{shortId}/rotate", new { name = "long", overlapSeconds = 86_400 }), HttpStatusCode.Created);
        Assert.Equal(soon, rotated.GetProperty("previous").GetProperty("expiresAt").GetDateTimeOffset());
        Assert.Equal("long", rotated.GetProperty("apiKey").GetProperty("name").GetString());

        // Revoking the new key during the overlap cuts it off at once; the old one keeps its own window.
        var newKeyId = rotated.GetProperty("apiKey").GetProperty("id").GetString()!;
        using var fresh = app.Client(rotated.GetProperty("key").GetString()!);
        await Expect.Status(await fresh.GetAsync($"/api/v1/principals/{member.Id}"), HttpStatusCode.OK);
        await Expect.Status(await admin.DeleteAsync($"/api/v1/keys/{newKeyId}"), HttpStatusCode.OK);
        await Expect.Problem(await fresh.GetAsync($"/api/v1/principals/{member.Id}"), HttpStatusCode.Unauthorized, "unauthenticated");
    }

    [Fact]
    public async Task Rotation_needs_permission_on_the_key_and_a_sane_overlap()
    {
        var owner = await app.CreatePrincipalAsync("rotate-owner", Role.Member);
        var other = await app.CreatePrincipalAsync("rotate-other", Role.Reviewer);
        using var stranger = app.Client(other.Key);
        await Expect.Problem(
            await stranger.PostAsJsonAsync($"/api/v1/keys/{owner.KeyId}/rotate", new { overlapSeconds = 60 }), HttpStatusCode.Forbidden, "forbidden");

        using var self = app.Client(owner.Key);
        var invalid = await Expect.Problem(
            await self.PostAsJsonAsync($"/api/v1/keys/{owner.KeyId}/rotate", new { overlapSeconds = -1 }), HttpStatusCode.BadRequest, "validation");
        Assert.True(invalid.GetProperty("errors").TryGetProperty("overlapSeconds", out _));
        var tooEarly = await Expect.Problem(
            await self.PostAsJsonAsync(
                $"/api/v1/keys/{owner.KeyId}/rotate", new { overlapSeconds = 3600, expiresAt = app.Time.GetUtcNow().AddMinutes(30) }),
            HttpStatusCode.BadRequest,
            "validation");
        Assert.True(tooEarly.GetProperty("errors").TryGetProperty("expiresAt", out _));
        await Expect.Problem(
            await self.PostAsJsonAsync("/api/v1/keys/01J00000000000000000000000/rotate", new { overlapSeconds = 60 }), HttpStatusCode.NotFound, "not-found");
        Assert.Equal(1L, await app.Database.CountAsync("api_keys", $"principal_id = '{owner.Id}'"));
    }
}
