using Cortex.Replica;
using Cortex.Sync.FunctionalTests.Infrastructure;

namespace Cortex.Sync.FunctionalTests;

/// <summary>The server goes away and comes back: reads keep working, writes queue and land exactly once, a bootstrap
/// cut in half resumes where it stopped.</summary>
public sealed class OutageTests(SyncServer server) : IClassFixture<SyncServer>, IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        if (!server.IsRunning)
        {
            await server.StartAsync();
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Writes_made_while_the_server_is_down_are_accepted_exactly_once_after_it_returns()
    {
        await server.CreateSubcortexAsync(server.AdminKey, "offline");
        var existing = await server.CreateThreadAsync(server.AdminKey, "offline", "Before the outage");
        await using var daemon = await TestDaemon.StartAsync(server, server.AdminKey);
        await daemon.WaitCaughtUpAsync();
        using var local = daemon.LocalApi();

        await server.StopAsync();
        await Eventually.TrueAsync(() => !daemon.Engine.Connected, "the daemon to notice the outage");
        var queued = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            queued.Add(await ReplicaSyncTests.Enqueue(local, "thread.create", "offline", new { title = $"Offline {i}", body = "b" }));
        }

        // Reads work from the replica while the server is down, and the queued writes show as pending.
        var read = await SyncServer.Ok(await local.GetAsync($"v1/items/thread/{existing}"));
        Assert.Equal("Before the outage", read.GetProperty("title").GetString());
        var offline = await SyncServer.Ok(await local.GetAsync("v1/status"));
        Assert.False(offline.GetProperty("connected").GetBoolean());
        Assert.Equal(3, offline.GetProperty("outboxDepth").GetInt32());
        Assert.NotNull(offline.GetProperty("warning").GetString());
        var pending = await SyncServer.Ok(await local.GetAsync("v1/writes"));
        Assert.Equal(3, pending.GetArrayLength());

        await server.StartAsync();
        await daemon.WaitCaughtUpAsync(TimeSpan.FromSeconds(60));

        foreach (var clientId in queued)
        {
            var item = daemon.Replica.Outbox.Get(clientId)!;
            Assert.Equal(OutboxState.Accepted, item.State);
            Assert.NotNull(daemon.Replica.GetJson("thread", item.EntityId!));
        }

        Assert.Equal(3, await server.ScalarAsync("SELECT count(*) FROM threads WHERE title LIKE 'Offline %'"));
        var online = await SyncServer.Ok(await local.GetAsync("v1/status"));
        Assert.True(online.GetProperty("connected").GetBoolean());
        Assert.Equal(0, online.GetProperty("lagPositions").GetInt64());
        Assert.Equal(0, online.GetProperty("outboxDepth").GetInt32());
    }

    [Fact]
    public async Task A_bootstrap_cut_by_a_server_restart_resumes_without_gaps_or_duplicates()
    {
        await server.CreateSubcortexAsync(server.AdminKey, "restart");
        for (var i = 0; i < 120; i++)
        {
            await server.CreateThreadAsync(server.AdminKey, "restart", $"Restart {i}");
        }

        await using var daemon = await TestDaemon.StartAsync(server, server.AdminKey, TestDaemon.FastOptions with { PullBatchSize = 2 });
        await Eventually.TrueAsync(() => daemon.Replica.GetSyncState().Cursor > 0, "the bootstrap to start");
        await server.StopAsync();
        var cut = daemon.Replica.GetSyncState();
        Assert.True(cut.Cursor < cut.Head, $"the bootstrap finished before the restart (cursor {cut.Cursor}, head {cut.Head})");

        await server.StartAsync();
        await daemon.WaitCaughtUpAsync(TimeSpan.FromSeconds(60));

        var status = daemon.Replica.GetStatus();
        Assert.Equal(await server.ScalarAsync("SELECT count(*) FROM threads"), status.ItemCounts["thread"]);
        Assert.Equal(await server.ScalarAsync("SELECT position FROM feed_head"), status.Sync.Cursor);
    }
}
