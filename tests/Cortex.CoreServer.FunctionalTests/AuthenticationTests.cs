using System.Net;
using System.Net.Http.Json;
using Cortex.CoreServer.Auth;
using Cortex.CoreServer.FunctionalTests.Infrastructure;
using Cortex.SharedModel.Principals;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Cortex.CoreServer.FunctionalTests;

public sealed class AuthenticationTests(CortexApp app) : IClassFixture<CortexApp>
{
    [Theory]
    [InlineData(null, "Send an API key")]
    [InlineData("Basic YWRtaW46YWRtaW4=", "Bearer scheme")]
    [InlineData("Bearer not-a-key", "malformed")]
    [InlineData("Bearer ctx_aaaaaaaaaaaaaaaa_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "not valid")]
    public async Task Requests_without_a_valid_key_are_401_problems_and_audited(string? authorization, string detail)
    {
        using var client = app.Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/principals/me");
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        var before = await app.Database.CountAsync("audit_events", "outcome = 'unauthenticated'");
        var response = await client.SendAsync(request);
        var problem = await Expect.Problem(response, HttpStatusCode.Unauthorized, "unauthenticated");
        Assert.Contains(detail, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal(before + 1, await app.Database.CountAsync("audit_events", "outcome = 'unauthenticated'"));
    }

    [Fact]
    public async Task A_key_with_the_right_prefix_but_a_wrong_secret_is_refused()
    {
        var (prefix, _) = Split(app.AdminKey);
        var forged = $"ctx_{prefix}_{new string('a', 52)}";
        using var client = app.Client(forged);
        await Expect.Problem(await client.GetAsync("/api/v1/principals/me"), HttpStatusCode.Unauthorized, "unauthenticated");
    }

    [Fact]
    public async Task Keys_are_shown_once_stored_hashed_and_found_by_prefix()
    {
        var carol = await app.CreatePrincipalAsync("hash-carol", Role.Member);
        var (prefix, secret) = Split(carol.Key);
        Assert.Equal(prefix, await app.Database.ScalarAsync($"SELECT prefix FROM api_keys WHERE id = '{carol.KeyId}'"));
        var stored = (byte[])(await app.Database.ScalarAsync($"SELECT secret_hash FROM api_keys WHERE id = '{carol.KeyId}'"))!;
        Assert.Equal(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(secret)), stored);
        Assert.Equal(0L, await app.Database.CountAsync("api_keys", $"position('{secret}' in prefix || name) > 0"));

        using var client = app.Client(carol.Key);
        var key = await Expect.Json(await client.GetAsync($"/api/v1/keys/{carol.KeyId}"), HttpStatusCode.OK);
        Assert.False(key.TryGetProperty("key", out _));
        Assert.DoesNotContain(secret, key.GetRawText(), StringComparison.Ordinal);
        var me = await Expect.Json(await client.GetAsync("/api/v1/principals/me"), HttpStatusCode.OK);
        Assert.Equal(carol.Id, me.GetProperty("id").GetString());
    }

    [Fact]
    public async Task A_revoked_key_stops_working_at_once_even_though_it_was_cached()
    {
        var dave = await app.CreatePrincipalAsync("revoke-dave", Role.Member);
        using var client = app.Client(dave.Key);
        await Expect.Status(await client.GetAsync("/api/v1/principals/me"), HttpStatusCode.OK);

        var revoked = await Expect.Json(await client.DeleteAsync($"/api/v1/keys/{dave.KeyId}"), HttpStatusCode.OK);
        Assert.NotEqual(System.Text.Json.JsonValueKind.Null, revoked.GetProperty("revokedAt").ValueKind);

        var problem = await Expect.Problem(await client.GetAsync("/api/v1/principals/me"), HttpStatusCode.Unauthorized, "unauthenticated");
        Assert.Contains("revoked", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_stops_working_when_it_expires()
    {
        var erin = await app.CreatePrincipalAsync("expire-erin", Role.Member);
        using var admin = app.AdminClient();
        var created = await Expect.Json(
            await admin.PostAsJsonAsync($"/api/v1/principals/{erin.Id}/keys", new { name = "short", expiresAt = app.Time.GetUtcNow().AddHours(1) }),
            HttpStatusCode.Created);
        using var client = app.Client(created.GetProperty("key").GetString());
        await Expect.Status(await client.GetAsync("/api/v1/principals/me"), HttpStatusCode.OK);

        app.Time.Advance(TimeSpan.FromHours(2));
        var problem = await Expect.Problem(await client.GetAsync("/api/v1/principals/me"), HttpStatusCode.Unauthorized, "unauthenticated");
        Assert.Contains("expired", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await Expect.Problem(
            await admin.PostAsJsonAsync($"/api/v1/principals/{erin.Id}/keys", new { name = "past", expiresAt = app.Time.GetUtcNow().AddMinutes(-1) }),
            HttpStatusCode.BadRequest,
            "validation");
    }

    [Fact]
    public async Task Disabling_a_principal_stops_its_keys_at_once()
    {
        var frank = await app.CreatePrincipalAsync("disable-frank", Role.Member);
        using var client = app.Client(frank.Key);
        await Expect.Status(await client.GetAsync("/api/v1/principals/me"), HttpStatusCode.OK);
        using var admin = app.AdminClient();
        await Expect.Status(
            await admin.PatchAsJsonAsync($"/api/v1/principals/{frank.Id}", new { disabled = true, version = 1 }), HttpStatusCode.OK);
        await Expect.Problem(await client.GetAsync("/api/v1/principals/me"), HttpStatusCode.Unauthorized, "unauthenticated");
    }

    [Fact]
    public async Task Last_used_time_is_recorded_off_the_request_path_and_written_in_batches()
    {
        var gina = await app.CreatePrincipalAsync("lastused-gina", Role.Member);
        using var client = app.Client(gina.Key);
        Assert.Null(await app.Database.ScalarAsync($"SELECT last_used_at FROM api_keys WHERE id = '{gina.KeyId}'") as DateTime?);
        await Expect.Status(await client.GetAsync("/api/v1/principals/me"), HttpStatusCode.OK);

        await app.Services.GetRequiredService<KeyUsageTracker>().FlushAsync();
        var key = await Expect.Json(await client.GetAsync($"/api/v1/keys/{gina.KeyId}"), HttpStatusCode.OK);
        Assert.Equal(app.Time.GetUtcNow(), key.GetProperty("lastUsedAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task A_principal_can_rotate_its_own_key_with_overlap()
    {
        var hank = await app.CreatePrincipalAsync("rotate-hank", Role.Agent);
        using var oldClient = app.Client(hank.Key);
        var created = await Expect.Json(
            await oldClient.PostAsJsonAsync($"/api/v1/principals/{hank.Id}/keys", new { name = "rotated" }), HttpStatusCode.Created);
        using var newClient = app.Client(created.GetProperty("key").GetString());
        await Expect.Status(await oldClient.GetAsync("/api/v1/principals/me"), HttpStatusCode.OK);
        await Expect.Status(await newClient.GetAsync("/api/v1/principals/me"), HttpStatusCode.OK);
        await Expect.Status(await newClient.DeleteAsync($"/api/v1/keys/{hank.KeyId}"), HttpStatusCode.OK);
        await Expect.Problem(await oldClient.GetAsync("/api/v1/principals/me"), HttpStatusCode.Unauthorized, "unauthenticated");
        var keys = await Expect.Json(await newClient.GetAsync($"/api/v1/principals/{hank.Id}/keys"), HttpStatusCode.OK);
        Assert.Equal(2, keys.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public void Generated_keys_parse_back_and_garbage_does_not()
    {
        var (key, prefix, hash) = ApiKeys.Generate();
        Assert.True(ApiKeys.TryParse(key, out var parsedPrefix, out var secret));
        Assert.Equal(prefix, parsedPrefix);
        Assert.True(ApiKeys.Matches(secret, hash));
        Assert.False(ApiKeys.Matches(secret.Replace(secret[0], secret[0] == 'a' ? 'b' : 'a'), hash));
        Assert.False(ApiKeys.TryParse(key.ToUpperInvariant(), out _, out _));
        Assert.False(ApiKeys.TryParse(key.AsSpan()[..^1], out _, out _));
        Assert.False(ApiKeys.TryParse("xyz" + key[3..], out _, out _));
        Assert.False(ApiKeys.TryParse(key.Replace('_', '-'), out _, out _));
    }

    private static (string Prefix, string Secret) Split(string key)
    {
        var parts = key.Split('_');
        return (parts[1], parts[2]);
    }
}
