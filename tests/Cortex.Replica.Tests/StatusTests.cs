using Cortex.SyncProtocol;
using static Cortex.Replica.Tests.Changes;

namespace Cortex.Replica.Tests;

public sealed class StatusTests : IDisposable
{
    private readonly ManualTime _time = new();
    private readonly TempReplica _replica;

    public StatusTests()
    {
        _replica = new TempReplica(new ReplicaOptions { Time = _time });
        Store.SetConnection("http://127.0.0.1:5000", "p-1");
        Store.ResetEpoch(1, "first sync");
    }

    private ReplicaStore Store => _replica.Store;

    [Fact]
    public void Lag_is_measured_in_positions_and_in_time_since_the_replica_fell_behind()
    {
        Store.ApplyBatch(Batch(0, 10, Thread(3, "t1")) with { Head = 10 });
        Assert.Equal((0L, TimeSpan.Zero), (Store.GetStatus().LagPositions, Store.GetStatus().Lag));

        Store.RecordHead(50);
        _time.Advance(TimeSpan.FromSeconds(4));
        Store.ApplyBatch(Batch(10, 30) with { Head = 60, Progress = new BootstrapProgress { ItemsSent = 30, TotalEstimate = 60 } });
        _time.Advance(TimeSpan.FromSeconds(1));

        var status = Store.GetStatus();
        Assert.Equal(30, status.LagPositions);
        Assert.Equal(TimeSpan.FromSeconds(5), status.Lag);
        Assert.Equal((30L, 60L), (status.Sync.BootstrapItemsSent!.Value, status.Sync.BootstrapTotalEstimate!.Value));
        Assert.False(status.CaughtUp);

        Store.ApplyBatch(Batch(30, 60));
        Assert.Equal((0L, TimeSpan.Zero, true), (Store.GetStatus().LagPositions, Store.GetStatus().Lag, Store.GetStatus().CaughtUp));
    }

    [Fact]
    public void Status_reports_connection_outbox_counts_size_and_makes_a_heartbeat()
    {
        Store.ApplyBatch(Batch(0, 10, Thread(3, "t1"), Thread(4, "t2"), Upsert(5, "comment", "c1", """{"threadId":"t1"}""")));
        Store.Documents.Append("t1", [1], DocumentUpdateOrigin.Server, "x");
        Store.Outbox.Enqueue("comment.create", [1]);
        _time.Advance(TimeSpan.FromSeconds(30));
        Store.Outbox.Enqueue("comment.create", [2]);

        var status = Store.GetStatus();

        Assert.Equal(("http://127.0.0.1:5000", "p-1"), (status.Sync.ServerUrl, status.Sync.PrincipalId));
        Assert.Equal(_time.GetUtcNow() - TimeSpan.FromSeconds(30), status.Sync.LastSyncAt);
        Assert.Equal((2L, 1L, 0L), (status.ItemCounts["thread"], status.ItemCounts["comment"], status.ItemCounts["task"]));
        Assert.Equal(1, status.DocumentCount);
        Assert.Equal(2, status.Outbox.Depth);
        Assert.Equal(TimeSpan.FromSeconds(30), status.OldestPendingAge);
        Assert.True(status.FileSizeBytes > 0);

        var heartbeat = status.ToHeartbeat();
        Assert.Equal((status.Sync.ReplicaId, 10L, 2, 30.0), (heartbeat.ReplicaId, heartbeat.Cursor, heartbeat.OutboxDepth, heartbeat.OldestPendingAgeSeconds!.Value));
    }

    [Fact]
    public void Hello_and_pull_requests_carry_the_stored_position()
    {
        Store.ApplyBatch(Batch(0, 10, Thread(3, "t1")));

        var hello = Store.CreateHello("cortexd/test");
        var pull = Store.CreatePullRequest(500);

        Assert.Equal((ProtocolVersion.Current, "p-1", Store.GetSyncState().ReplicaId, 10L, 1L, "cortexd/test"),
            (hello.ProtocolVersion, hello.PrincipalId, hello.ReplicaId, hello.Cursor, hello.Epoch, hello.ClientName));
        Assert.Equal(new PullRequest { Epoch = 1, After = 10, MaxChanges = 500 }, pull);
    }

    public void Dispose() => _replica.Dispose();
}
