using System.Net.Http.Json;
using System.Text.Json;
using System.Threading.Channels;
using Cortex.Sync.FunctionalTests.Infrastructure;
using Cortex.SyncProtocol;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace Cortex.Sync.FunctionalTests;

/// <summary>
/// The live change stream (<see cref="ISyncHub.StreamChanges"/>): gapless pages sent as commits happen, one stream per
/// connection, purges confirmed only by pulls, and a real cortexd that follows it.
/// </summary>
public sealed class LiveStreamTests(SyncServer server) : IClassFixture<SyncServer>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_caught_up_stream_sends_each_commit_in_gapless_pages_without_a_pull()
    {
        await server.CreateSubcortexAsync(server.AdminKey, "stream-pages");
        await using var hub = await RawHub.ConnectAsync(server, server.AdminKey);
        var request = await HelloAndCatchUpAsync(hub, RawHub.Hello(server.AdminId));
        var cursor = request.After;
        using var stop = new CancellationTokenSource(Patience);
        var stream = await StreamAsync(hub, request, stop.Token);

        var written = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 5; i++)
        {
            written.Add(await server.CreateThreadAsync(server.AdminKey, "stream-pages", $"Streamed {i}"));
        }

        var received = new HashSet<string>(StringComparer.Ordinal);
        while (!written.IsSubsetOf(received))
        {
            var batch = await stream.ReadAsync(stop.Token);
            Assert.Equal(cursor, batch.After);
            Assert.True(batch.UpTo > batch.After, "a page moves the cursor");
            Assert.All(batch.Changes, change => Assert.InRange(change.Position, batch.After + 1, batch.UpTo));
            received.UnionWith(batch.Changes.Where(c => c.Entity == "thread").Select(c => c.EntityId));
            cursor = batch.UpTo;
        }

        Assert.Equal(await server.ScalarAsync("SELECT position FROM feed_head WHERE id = 1"), cursor);
    }

    [Fact]
    public async Task Opening_a_second_stream_ends_the_first_and_the_second_flows()
    {
        await server.CreateSubcortexAsync(server.AdminKey, "stream-twice");
        await using var hub = await RawHub.ConnectAsync(server, server.AdminKey);
        var request = await HelloAndCatchUpAsync(hub, RawHub.Hello(server.AdminId));
        using var stop = new CancellationTokenSource(Patience);
        var first = await StreamAsync(hub, request, stop.Token);
        var second = await StreamAsync(hub, request, stop.Token);

        // The first ends (as an error: its server side was cancelled), whatever it had sent.
        await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            while (true)
            {
                await first.ReadAsync(stop.Token);
            }
        });
        Assert.False(stop.IsCancellationRequested, "the first stream ended by itself, before the test's deadline");

        var id = await server.CreateThreadAsync(server.AdminKey, "stream-twice", "After the switch");
        Assert.Contains(await ReadUntilAsync(second, id, stop.Token), c => c.EntityId == id);
    }

    [Fact]
    public async Task After_the_client_cancels_its_stream_a_new_one_on_the_same_connection_flows()
    {
        await server.CreateSubcortexAsync(server.AdminKey, "stream-again");
        await using var hub = await RawHub.ConnectAsync(server, server.AdminKey);
        var request = await HelloAndCatchUpAsync(hub, RawHub.Hello(server.AdminId));
        using (var cancelled = new CancellationTokenSource())
        {
            var first = await StreamAsync(hub, request, cancelled.Token);
            var before = await server.CreateThreadAsync(server.AdminKey, "stream-again", "Before the cancel");
            using var read = new CancellationTokenSource(Patience);
            await ReadUntilAsync(first, before, read.Token);
            await cancelled.CancelAsync();
        }

        // The server side of the first stream has ended (and let go of its slot) by the time the second opens or soon after.
        using var stop = new CancellationTokenSource(Patience);
        var second = await StreamAsync(hub, request, stop.Token);
        var id = await server.CreateThreadAsync(server.AdminKey, "stream-again", "After the cancel");
        Assert.Contains(await ReadUntilAsync(second, id, stop.Token), c => c.EntityId == id);
    }

    [Fact]
    public async Task A_stream_sends_a_purge_before_its_page_and_again_until_a_pull_confirms_it()
    {
        var member = await server.CreatePrincipalAsync("stream-purged", "member");
        var secret = (await server.CreateSubcortexAsync(server.AdminKey, "stream-secret", isPrivate: true)).GetProperty("id").GetString();
        await server.CreateSubcortexAsync(server.AdminKey, "stream-open");
        using var admin = server.Client(server.AdminKey);
        await SyncServer.Ok(await admin.PutAsync($"/api/v1/subcortexes/stream-secret/members/{member.Id}", null));
        await server.CreateThreadAsync(server.AdminKey, "stream-secret", "Secret");
        await using var hub = await RawHub.ConnectAsync(server, member.Key);
        var purges = new System.Collections.Concurrent.ConcurrentQueue<PurgeInstruction>();
        hub.On<PurgeInstruction>(nameof(ISyncClient.Purge), purges.Enqueue);
        var helloMessage = RawHub.Hello(member.Id);
        var request = await HelloAndCatchUpAsync(hub, helloMessage);
        using var stop = new CancellationTokenSource(Patience);
        var stream = await StreamAsync(hub, request, stop.Token);
        Task<long> Unconfirmed() => server.ScalarAsync(
            "SELECT count(*) FROM sync_replica_scopes WHERE replica_id = @replica AND lost_at IS NOT NULL", new { replica = helloMessage.ReplicaId });

        await SyncServer.Ok(await admin.DeleteAsync($"/api/v1/subcortexes/stream-secret/members/{member.Id}"));
        var first = await server.CreateThreadAsync(server.AdminKey, "stream-open", "Wakes the stream");
        var changes = await ReadUntilAsync(stream, first, stop.Token);
        // The purge was sent before the page that carried the wake-up thread (and, when the membership change woke the
        // stream first, before that page too); the client runs invocation handlers apart from stream items, so it may
        // land a moment after the page.
        await Eventually.TrueAsync(() => !purges.IsEmpty, "the purge");
        Assert.All(purges, p => Assert.Equal(secret, Assert.Single(p.Scopes).Id));
        Assert.DoesNotContain(changes, c => c.SubcortexId == secret);
        var sentBefore = purges.Count;

        var second = await server.CreateThreadAsync(server.AdminKey, "stream-open", "Another page");
        var last = (await ReadUntilAsync(stream, second, stop.Token)).Max(c => c.Position);
        await Eventually.TrueAsync(() => purges.Count > sentBefore, "the unconfirmed purge sent again before the next page");
        Assert.Equal(1, await Unconfirmed());

        // The replica has applied the stream's pages past the loss; its pull says so and retires the purge.
        await hub.InvokeAsync<ChangeBatch>(nameof(ISyncHub.PullChanges), request with { After = last });
        Assert.Equal(0, await Unconfirmed());
    }

    [Fact]
    public async Task A_stream_is_refused_before_hello_and_at_a_stale_epoch()
    {
        await using var hub = await RawHub.ConnectAsync(server, server.AdminKey);
        var request = new PullRequest { Epoch = 1, After = 0, MaxChanges = 10 };
        var beforeHello = await Assert.ThrowsAsync<HubException>(() => ReadOneAsync(hub, request));
        Assert.Contains("hello_required", beforeHello.Message, StringComparison.Ordinal);

        var hello = await hub.InvokeAsync<HelloResult>(nameof(ISyncHub.Hello), RawHub.Hello(server.AdminId));
        var stale = await Assert.ThrowsAsync<HubException>(() => ReadOneAsync(hub, request with { Epoch = hello.Epoch + 7 }));
        Assert.Contains("epoch_mismatch", stale.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_caught_up_cortexd_follows_the_stream_and_says_so_in_status()
    {
        await server.CreateSubcortexAsync(server.AdminKey, "stream-daemon");
        var member = await server.CreatePrincipalAsync("stream-daemon-reader", "member");
        await using var daemon = await TestDaemon.StartAsync(server, member.Key, TestDaemon.FastOptions with { PollInterval = TimeSpan.FromMinutes(5) });
        await daemon.WaitCaughtUpAsync();
        await Eventually.TrueAsync(() => daemon.Engine.Live, "the live stream open");
        using var local = daemon.LocalApi();
        var status = await local.GetFromJsonAsync<JsonElement>("v1/status");
        Assert.True(status.GetProperty("live").GetBoolean());

        var ids = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            ids.Add(await server.CreateThreadAsync(server.AdminKey, "stream-daemon", $"Live {i}"));
        }

        await Eventually.TrueAsync(() => ids.All(id => daemon.Replica.GetJson("thread", id) is not null), "every thread in the replica", Patience);
        await daemon.WaitCaughtUpAsync();
        var replica = daemon.Replica.GetStatus();
        Assert.Equal(replica.Sync.Head, replica.Sync.Cursor);
        Assert.True(daemon.Engine.Live, "still live after the burst");
    }

    /// <summary>Says hello and pulls until caught up; answers the request that continues from there.</summary>
    private static async Task<PullRequest> HelloAndCatchUpAsync(HubConnection hub, Hello hello)
    {
        var answer = await hub.InvokeAsync<HelloResult>(nameof(ISyncHub.Hello), hello);
        var request = new PullRequest { Epoch = answer.Epoch, After = 0, MaxChanges = 1000 };
        while (true)
        {
            var batch = await hub.InvokeAsync<ChangeBatch>(nameof(ISyncHub.PullChanges), request);
            request = request with { After = batch.UpTo };
            if (!batch.HasMore)
            {
                return request;
            }
        }
    }

    private static Task<ChannelReader<ChangeBatch>> StreamAsync(HubConnection hub, PullRequest request, CancellationToken cancellationToken) =>
        hub.StreamAsChannelAsync<ChangeBatch>(nameof(ISyncHub.StreamChanges), request, cancellationToken);

    private static async Task<IReadOnlyList<EntityChange>> ReadUntilAsync(ChannelReader<ChangeBatch> stream, string entityId, CancellationToken cancellationToken)
    {
        var changes = new List<EntityChange>();
        while (!changes.Any(c => c.EntityId == entityId))
        {
            changes.AddRange((await stream.ReadAsync(cancellationToken)).Changes);
        }

        return changes;
    }

    /// <summary>The stream's first page; a refusal comes out as the server's <see cref="HubException"/>.</summary>
    private static async Task ReadOneAsync(HubConnection hub, PullRequest request)
    {
        using var stop = new CancellationTokenSource(Patience);
        var stream = await StreamAsync(hub, request, stop.Token);
        try
        {
            await stream.ReadAsync(stop.Token);
        }
        catch (ChannelClosedException closed) when (closed.InnerException is HubException refusal)
        {
            throw refusal;
        }
    }
}
