using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Cortex.ScaleOut.Tests.Infrastructure;

namespace Cortex.ScaleOut.Tests;

/// <summary>Two core-server instances behind one database and the Redis backplane behave as one server.</summary>
[Collection(ScaleOutCluster.Collection)]
public sealed class ScaleOutTests(ScaleOutCluster cluster)
{
    private static readonly TimeSpan Live = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task A_replica_on_instance_A_receives_live_a_change_written_through_instance_B()
    {
        using var viaB = cluster.B.Client(cluster.AdminKey);
        await Ok(await viaB.PostAsJsonAsync("/api/v1/subcortexes", new { slug = "scale-live", name = "Live" }));
        await using var replica = await SyncClient.ConnectAsync(cluster.A, cluster.AdminKey, cluster.AdminId);

        var thread = (await Ok(await viaB.PostAsJsonAsync("/api/v1/subcortexes/scale-live/threads", new { title = "Written on B", body = "b" })))
            .GetProperty("id").GetString()!;
        var position = await cluster.Database.ScalarAsync<long>($"SELECT max(position) FROM changes WHERE entity_id = '{thread}'");
        await replica.WaitForHeadAsync(position, Live);

        var batch = await replica.PullAsync(0);
        var change = Assert.Single(batch.Changes, c => c.EntityId == thread);
        Assert.Contains("Written on B", JsonDocument.Parse(change.Payload!).RootElement.GetProperty("title").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_message_sent_by_instance_B_reaches_a_hub_client_on_instance_A_through_redis()
    {
        var principal = await CreatePrincipalAsync("scale-epoch", "member");
        await using var replica = await SyncClient.ConnectAsync(cluster.A, principal.Key, principal.Id);

        // Only B handles the bump and sends the reset to the principal's group; A hears of it through the backplane.
        using var viaB = cluster.B.Client(cluster.AdminKey);
        var bumped = await Ok(await viaB.PostAsJsonAsync($"/api/v1/sync/principals/{principal.Id}/epoch", new { reason = "scale-out test" }));
        using var deadline = new CancellationTokenSource(Live);
        var reset = await replica.Resets.Reader.ReadAsync(deadline.Token);
        Assert.Equal((bumped.GetProperty("epoch").GetInt64(), "scale-out test"), (reset.NewEpoch, reset.Reason));
    }

    [Fact]
    public async Task A_key_revoked_through_B_is_refused_by_A_at_once_not_after_the_cache_ttl()
    {
        var principal = await CreatePrincipalAsync("scale-revoked", "member");
        using var viaA = cluster.A.Client(principal.Key);
        var path = $"/api/v1/principals/{principal.Id}";
        Assert.Equal(HttpStatusCode.OK, (await viaA.GetAsync(path)).StatusCode); // now cached on A for an hour

        using var adminViaB = cluster.B.Client(cluster.AdminKey);
        await Ok(await adminViaB.DeleteAsync($"/api/v1/keys/{principal.KeyId}"));
        await Eventually.TrueAsync(
            async () => (await viaA.GetAsync(path)).StatusCode == HttpStatusCode.Unauthorized,
            "instance A to refuse the key revoked through B",
            TimeSpan.FromSeconds(5));
        var refused = await viaA.GetAsync(path);
        Assert.Contains("revoked", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Disabling_a_principal_through_A_locks_its_keys_out_of_B_at_once()
    {
        var principal = await CreatePrincipalAsync("scale-disabled", "member");
        using var viaB = cluster.B.Client(principal.Key);
        var path = $"/api/v1/principals/{principal.Id}";
        var before = await Ok(await viaB.GetAsync(path));

        using var adminViaA = cluster.A.Client(cluster.AdminKey);
        await Ok(await adminViaA.PatchAsJsonAsync(path, new { disabled = true, version = before.GetProperty("version").GetInt64() }));
        await Eventually.TrueAsync(
            async () => (await viaB.GetAsync(path)).StatusCode == HttpStatusCode.Unauthorized,
            "instance B to refuse the disabled principal's key",
            TimeSpan.FromSeconds(5));
    }

    private async Task<(string Id, string Key, string KeyId)> CreatePrincipalAsync(string handle, string role)
    {
        using var admin = cluster.A.Client(cluster.AdminKey);
        var created = await Ok(await admin.PostAsJsonAsync("/api/v1/principals", new { handle, displayName = handle, kind = "human", role }));
        var id = created.GetProperty("id").GetString()!;
        var key = await Ok(await admin.PostAsJsonAsync($"/api/v1/principals/{id}/keys", new { name = "scale-out" }));
        return (id, key.GetProperty("key").GetString()!, key.GetProperty("apiKey").GetProperty("id").GetString()!);
    }

    private static async Task<JsonElement> Ok(HttpResponseMessage response)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
            return JsonDocument.Parse(text).RootElement.Clone();
        }
    }
}
