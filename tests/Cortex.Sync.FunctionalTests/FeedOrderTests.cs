using Cortex.CoreServer.Audit;
using Cortex.CoreServer.Content;
using Cortex.CoreServer.Database;
using Cortex.CoreServer.Feed;
using Cortex.SharedModel.Content;
using Cortex.SharedModel.Feed;
using Cortex.Sync.FunctionalTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Cortex.Sync.FunctionalTests;

/// <summary>A transaction that holds its feed position uncommitted while the replica pulls, and another that commits
/// behind it: the replica must not move its cursor past the held position, and must receive both once they commit.</summary>
public sealed class FeedOrderTests(SyncServer server) : IClassFixture<SyncServer>
{
    [Fact]
    public async Task A_position_held_by_an_uncommitted_transaction_is_never_skipped()
    {
        var subcortex = await server.CreateSubcortexAsync(server.AdminKey, "order");
        var subcortexId = subcortex.GetProperty("id").GetString()!;
        await using var daemon = await TestDaemon.StartAsync(server, server.AdminKey);
        await daemon.WaitCaughtUpAsync();

        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var slow = new WriteSession(server.Services.GetRequiredService<NpgsqlDataSource>());
        var held = await ThreadStore.InsertAsync(slow, subcortexId, "Held", ThreadKind.Discussion, "b", "<p>b</p>", server.AdminId);
        slow.Record(new PendingChange(EntityNames.Thread, held.Id, ChangeOperation.Created, held.Version, SubcortexId: subcortexId));
        slow.Audit(new AuditEntry("thread.create", AuditOutcome.Succeeded, Actor.Command("test"), EntityNames.Thread, held.Id));
        slow.BeforeCommit = async _ =>
        {
            reached.SetResult();
            await release.Task;
        };
        var slowCommit = slow.CommitNowAsync();
        await reached.Task;

        // The second writer queues behind the held position; meanwhile the replica pulls and must stop below it.
        var fastWrite = server.CreateThreadAsync(server.AdminKey, "order", "Behind the held one");
        await daemon.WaitCaughtUpAsync();
        var heldPosition = slow.CommittedPosition!.Value;
        Assert.True(daemon.Replica.GetSyncState().Cursor < heldPosition);
        Assert.Null(daemon.Replica.GetJson("thread", held.Id));

        release.SetResult();
        await slowCommit;
        var fastId = await fastWrite;
        await Eventually.TrueAsync(
            () => daemon.Replica.GetJson("thread", held.Id) is not null && daemon.Replica.GetJson("thread", fastId) is not null,
            "both threads in the replica");
        await daemon.WaitCaughtUpAsync();
        Assert.Equal(await server.ScalarAsync("SELECT position FROM feed_head"), daemon.Replica.GetSyncState().Cursor);
    }
}
