using System.Net.Http.Json;
using System.Text.Json;
using Cortex.Replica;
using Cortex.Sync.FunctionalTests.Infrastructure;

namespace Cortex.Sync.FunctionalTests;

/// <summary>A real cortexd host against the real server over loopback: bootstrap, live pushes, verdicts, purges, resets.</summary>
public sealed class ReplicaSyncTests(SyncServer server) : IClassFixture<SyncServer>
{
    [Fact]
    public async Task Bootstrap_into_an_empty_replica_brings_everything_in_batches()
    {
        await server.CreateSubcortexAsync(server.AdminKey, "boot");
        var ids = new List<string>();
        for (var i = 0; i < 40; i++)
        {
            ids.Add(await server.CreateThreadAsync(server.AdminKey, "boot", $"Boot {i}"));
        }

        await using var daemon = await TestDaemon.StartAsync(server, server.AdminKey, TestDaemon.FastOptions with { PullBatchSize = 7 });
        await daemon.WaitCaughtUpAsync();

        var status = daemon.Replica.GetStatus();
        Assert.Equal(status.Sync.Head, status.Sync.Cursor);
        Assert.Equal(0, status.LagPositions);
        Assert.Equal(server.AdminId, status.Sync.PrincipalId);
        for (var i = 0; i < ids.Count; i++)
        {
            using var json = JsonDocument.Parse(daemon.Replica.GetJson("thread", ids[i]) ?? throw new Xunit.Sdk.XunitException($"thread {i} missing"));
            Assert.Equal($"Boot {i}", json.RootElement.GetProperty("title").GetString());
        }

        Assert.Equal(await server.ScalarAsync("SELECT count(*) FROM threads"), status.ItemCounts["thread"]);
    }

    [Fact]
    public async Task A_write_through_the_api_reaches_a_connected_replica_by_push()
    {
        await server.CreateSubcortexAsync(server.AdminKey, "live");
        var member = await server.CreatePrincipalAsync("live-reader", "member");
        await using var daemon = await TestDaemon.StartAsync(server, member.Key,
            TestDaemon.FastOptions with { PollInterval = TimeSpan.FromMinutes(5), LiveStream = false });
        await daemon.WaitCaughtUpAsync();

        var id = await server.CreateThreadAsync(server.AdminKey, "live", "Pushed");

        // No wait call and no poll within the deadline: only the head-advanced push can bring it.
        await Eventually.TrueAsync(() => daemon.Replica.GetJson("thread", id) is not null, "the thread in the replica", TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_rejected_write_does_not_block_the_valid_ones_behind_it_and_shows_in_status()
    {
        await server.CreateSubcortexAsync(server.AdminKey, "queue");
        await using var daemon = await TestDaemon.StartAsync(server, server.AdminKey);
        await daemon.WaitCaughtUpAsync();
        using var local = daemon.LocalApi();

        var bad = await Enqueue(local, "thread.create", "no-such-subcortex", new { title = "lost", body = "b" });
        var good1 = await Enqueue(local, "thread.create", "queue", new { title = "Queued one", body = "b" });
        var invalid = await Enqueue(local, "thread.create", "queue", new { title = "", body = "b" });
        var good2 = await Enqueue(local, "thread.create", "queue", new { title = "Queued two", body = "b" });
        await daemon.WaitCaughtUpAsync();

        Assert.Equal(OutboxState.Rejected, daemon.Replica.Outbox.Get(bad)!.State);
        Assert.Equal("not_found", daemon.Replica.Outbox.Get(bad)!.ReasonCode);
        Assert.Equal("validation_failed", daemon.Replica.Outbox.Get(invalid)!.ReasonCode);
        foreach (var good in new[] { good1, good2 })
        {
            var item = daemon.Replica.Outbox.Get(good)!;
            Assert.Equal(OutboxState.Accepted, item.State);
            Assert.NotNull(daemon.Replica.GetJson("thread", item.EntityId!));
            Assert.True(item.VisibleAt <= daemon.Replica.GetSyncState().Cursor);
        }

        var status = await SyncServer.Ok(await local.GetAsync("v1/status"));
        var reasons = status.GetProperty("recentRejections").EnumerateArray().Select(r => r.GetProperty("reason").GetString()).ToList();
        Assert.Contains("not_found", reasons);
        Assert.Contains("validation_failed", reasons);
        Assert.Equal(0, status.GetProperty("outboxDepth").GetInt32());
    }

    [Fact]
    public async Task An_agents_write_passes_the_draft_gate_and_the_draft_reaches_its_replica()
    {
        await server.CreateSubcortexAsync(server.AdminKey, "gated");
        var agent = await server.CreatePrincipalAsync("gate-agent", "agent");
        await using var daemon = await TestDaemon.StartAsync(server, agent.Key);
        await daemon.WaitCaughtUpAsync();
        using var local = daemon.LocalApi();

        var clientId = await Enqueue(local, "thread.create", "gated", new { title = "Agent finding", body = "b" });
        await daemon.WaitCaughtUpAsync();

        var item = daemon.Replica.Outbox.Get(clientId)!;
        Assert.Equal(OutboxState.Draft, item.State);
        Assert.NotNull(item.DraftId);
        Assert.Null(item.EntityId);
        Assert.Equal(0, await server.ScalarAsync("SELECT count(*) FROM threads WHERE title = 'Agent finding'"));
        using var draft = JsonDocument.Parse(daemon.Replica.GetJson("draft", item.DraftId!) ?? throw new Xunit.Sdk.XunitException("draft missing"));
        Assert.Equal("Agent finding", draft.RootElement.GetProperty("title").GetString());
    }

    [Fact]
    public async Task Losing_access_to_a_private_subcortex_purges_it_from_the_replica()
    {
        var member = await server.CreatePrincipalAsync("purge-member", "member");
        await server.CreateSubcortexAsync(server.AdminKey, "secret", isPrivate: true);
        await server.CreateSubcortexAsync(server.AdminKey, "open");
        using var admin = server.Client(server.AdminKey);
        await SyncServer.Ok(await admin.PutAsync($"/api/v1/subcortexes/secret/members/{member.Id}", null));
        var hidden = await server.CreateThreadAsync(server.AdminKey, "secret", "Private plan");
        var visible = await server.CreateThreadAsync(server.AdminKey, "open", "Public note");
        await using var daemon = await TestDaemon.StartAsync(server, member.Key);
        await daemon.WaitCaughtUpAsync();
        Assert.NotNull(daemon.Replica.GetJson("thread", hidden));

        await SyncServer.Ok(await admin.DeleteAsync($"/api/v1/subcortexes/secret/members/{member.Id}"));

        await Eventually.TrueAsync(() => daemon.Replica.GetJson("thread", hidden) is null, "the private thread purged");
        Assert.NotNull(daemon.Replica.GetJson("thread", visible));
        // Later writes in the subcortex stay out too.
        var later = await server.CreateThreadAsync(server.AdminKey, "secret", "Still private");
        var marker = await server.CreateThreadAsync(server.AdminKey, "open", "After the purge");
        await Eventually.TrueAsync(() => daemon.Replica.GetJson("thread", marker) is not null, "the public marker");
        Assert.Null(daemon.Replica.GetJson("thread", later));
    }

    [Fact]
    public async Task Making_a_subcortex_private_purges_it_from_a_caught_up_non_members_replica()
    {
        // The replica's scopes are settled (its pulls skip the scope refresh) when the subcortex turns private: the
        // access-version trigger must still bring the refresh, and with it the purge.
        var member = await server.CreatePrincipalAsync("private-later-member", "member");
        await server.CreateSubcortexAsync(server.AdminKey, "private-later");
        using var admin = server.Client(server.AdminKey);
        var thread = await server.CreateThreadAsync(server.AdminKey, "private-later", "Soon private");
        await using var daemon = await TestDaemon.StartAsync(server, member.Key);
        await daemon.WaitCaughtUpAsync();
        Assert.NotNull(daemon.Replica.GetJson("thread", thread));
        await server.CreateThreadAsync(server.AdminKey, "private-later", "Another pull while settled");
        await daemon.WaitCaughtUpAsync();

        using var current = JsonDocument.Parse(await admin.GetStringAsync("/api/v1/subcortexes/private-later"));
        await SyncServer.Ok(await admin.PatchAsync("/api/v1/subcortexes/private-later", System.Net.Http.Json.JsonContent.Create(
            new { isPrivate = true, version = current.RootElement.GetProperty("version").GetInt64() })));

        await Eventually.TrueAsync(() => daemon.Replica.GetJson("thread", thread) is null, "the now-private thread purged");
    }

    [Fact]
    public async Task Regaining_access_re_bootstraps_the_replica_so_older_content_arrives()
    {
        var member = await server.CreatePrincipalAsync("regain-member", "member");
        await server.CreateSubcortexAsync(server.AdminKey, "regain", isPrivate: true);
        var old = await server.CreateThreadAsync(server.AdminKey, "regain", "Written before access");
        await server.CreateSubcortexAsync(server.AdminKey, "regain-open");
        await using var daemon = await TestDaemon.StartAsync(server, member.Key);
        await daemon.WaitCaughtUpAsync();
        Assert.Null(daemon.Replica.GetJson("thread", old));

        using var admin = server.Client(server.AdminKey);
        await SyncServer.Ok(await admin.PutAsync($"/api/v1/subcortexes/regain/members/{member.Id}", null));

        await Eventually.TrueAsync(() => daemon.Replica.GetJson("thread", old) is not null, "the older private thread");
        await daemon.WaitCaughtUpAsync();
        var status = daemon.Replica.GetStatus();
        Assert.Equal(1, status.Sync.ResetCount);
        Assert.False(status.ResetLoopSuspected);
        // A new private subcortex the member creates is not missed content: no further reset.
        var own = (await server.CreateSubcortexAsync(member.Key, "regain-own", isPrivate: true)).GetProperty("id").GetString()!;
        await Eventually.TrueAsync(() => daemon.Replica.GetJson("subcortex", own) is not null, "the member's own private subcortex");
        await daemon.WaitCaughtUpAsync();
        Assert.Equal(1, daemon.Replica.GetStatus().Sync.ResetCount);
    }

    [Fact]
    public async Task An_epoch_bump_re_bootstraps_the_replica_once_without_a_loop()
    {
        await server.CreateSubcortexAsync(server.AdminKey, "epochs");
        var agent = await server.CreatePrincipalAsync("epoch-agent", "agent");
        var before = await server.CreateThreadAsync(server.AdminKey, "epochs", "Before the reset");
        await using var daemon = await TestDaemon.StartAsync(server, agent.Key);
        await daemon.WaitCaughtUpAsync();
        var epoch = daemon.Replica.GetSyncState().Epoch;

        using var admin = server.Client(server.AdminKey);
        var bumped = await SyncServer.Ok(await admin.PostAsJsonAsync($"/api/v1/sync/principals/{agent.Id}/epoch", new { reason = "test reset" }));

        Assert.Equal(epoch + 1, bumped.GetProperty("epoch").GetInt64());
        Assert.Equal(1L, await server.ScalarAsync(
            $"SELECT count(*) FROM audit_events WHERE action = 'sync.epoch.bump' AND target_id = '{agent.Id}' AND detail = 'epoch={epoch + 1}; reason=test reset'"));
        await Eventually.TrueAsync(() => daemon.Replica.GetSyncState().Epoch == epoch + 1, "the new epoch");
        await daemon.WaitCaughtUpAsync();
        Assert.NotNull(daemon.Replica.GetJson("thread", before));
        var after = await server.CreateThreadAsync(server.AdminKey, "epochs", "After the reset");
        await Eventually.TrueAsync(() => daemon.Replica.GetJson("thread", after) is not null, "a later write");
        var status = daemon.Replica.GetStatus();
        Assert.Equal(epoch + 1, status.Sync.Epoch);
        Assert.Equal(1, status.Sync.ResetCount);
        Assert.False(status.ResetLoopSuspected);
    }

    [Fact]
    public async Task Heartbeats_report_lag_and_backlog_to_the_server()
    {
        await using var daemon = await TestDaemon.StartAsync(server, server.AdminKey);
        await daemon.WaitCaughtUpAsync();
        var replicaId = daemon.Replica.GetSyncState().ReplicaId;
        using var admin = server.Client(server.AdminKey);

        JsonElement? report = null;
        await Eventually.TrueAsync(async () =>
        {
            var replicas = await SyncServer.Ok(await admin.GetAsync("/api/v1/sync/replicas"));
            report = replicas.EnumerateArray().Cast<JsonElement?>().FirstOrDefault(r => r!.Value.GetProperty("replicaId").GetString() == replicaId);
            return report is not null;
        }, "a heartbeat from the replica");

        Assert.Equal(server.AdminId, report!.Value.GetProperty("principalId").GetString());
        Assert.Equal(0, report.Value.GetProperty("outboxDepth").GetInt32());

        var metrics = await (await admin.GetAsync("/metrics")).Content.ReadAsStringAsync();
        var lines = metrics.Split('\n');
        Assert.Contains(lines, l => l.StartsWith("cortex_sync_backlog{", StringComparison.Ordinal) && l.Contains($"replica=\"{replicaId}\"", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("cortex_sync_lag_seconds{", StringComparison.Ordinal) && l.Contains($"replica=\"{replicaId}\"", StringComparison.Ordinal));
    }

    internal static async Task<string> Enqueue(HttpClient local, string kind, string targetId, object payload)
    {
        var queued = await SyncServer.Ok(await local.PostAsJsonAsync("v1/outbox", new { kind, targetId, payload }));
        return queued.GetProperty("clientId").GetString()!;
    }
}
