using static Cortex.Replica.Tests.Changes;

namespace Cortex.Replica.Tests;

public sealed class EpochResetTests : IDisposable
{
    private readonly ManualTime _time = new();
    private readonly TempReplica _replica;

    public EpochResetTests()
    {
        _replica = new TempReplica(new ReplicaOptions { Time = _time, ChangeSink = new CrashHost.ShadowIndexSink() });
        Store.ResetEpoch(1, "first sync");
        Store.ApplyBatch(Batch(0, 10, Thread(3, "t1")));
        Store.Documents.Append("t1", [1, 2], DocumentUpdateOrigin.Server, "body");
    }

    private ReplicaStore Store => _replica.Store;

    [Fact]
    public void A_reset_wipes_synced_data_and_the_cursor_but_keeps_the_outbox()
    {
        var queued = Store.Outbox.Enqueue("comment.create", "{}"u8);

        var result = Store.ResetEpoch(2, "schema changed");

        Assert.Equal(new EpochResetResult(true, 2, 1, 1, false), result);
        Assert.Empty(_replica.Rows());
        Assert.Empty(_replica.ShadowIndex());
        Assert.Empty(Store.Documents.GetUpdates("t1"));
        Assert.Equal((2L, 0L, 1), (Store.GetSyncState().Epoch, Store.GetSyncState().Cursor, Store.GetSyncState().ResetCount));
        Assert.Equal(OutboxState.Pending, Store.Outbox.Get(queued.ClientId)!.State);
    }

    [Fact]
    public void After_a_reset_the_replica_bootstraps_from_zero_in_the_new_epoch()
    {
        Store.ResetEpoch(2, "schema changed");

        Assert.Throws<EpochMismatchException>(() => Store.ApplyBatch(Batch(1, 10, 20, Thread(15, "t2"))));
        Store.ApplyBatch(Batch(2, 0, 20, Thread(3, "t1"), Thread(15, "t2")));

        Assert.Equal(2, _replica.Rows().Count);
    }

    [Fact]
    public void A_repeated_or_stale_reset_changes_nothing()
    {
        Store.ResetEpoch(2, "schema changed");
        Store.ApplyBatch(Batch(2, 0, 20, Thread(15, "t2")));

        var repeated = Store.ResetEpoch(2, "schema changed");
        var stale = Store.ResetEpoch(1, "an old connection's message");

        Assert.False(repeated.Performed);
        Assert.False(stale.Performed);
        Assert.Equal(2, stale.Epoch);
        Assert.Single(_replica.Rows());
        Assert.Equal(20, Store.GetSyncState().Cursor);
        Assert.Equal(1, Store.GetSyncState().ResetCount);
    }

    [Fact]
    public void Adopting_the_first_epoch_is_not_counted_as_a_reset()
    {
        Assert.Equal(0, Store.GetSyncState().ResetCount);
        Assert.Equal(0, Store.GetStatus().RecentResets);
    }

    [Fact]
    public void Too_many_resets_within_the_window_are_reported_as_a_loop()
    {
        var results = new List<EpochResetResult>();
        for (var epoch = 2; epoch <= 5; epoch++)
        {
            _time.Advance(TimeSpan.FromMinutes(1));
            results.Add(Store.ResetEpoch(epoch, "corruption detected"));
        }

        Assert.Equal([false, false, false, true], results.Select(r => r.LoopSuspected));
        Assert.True(Store.GetStatus().ResetLoopSuspected);

        _time.Advance(TimeSpan.FromHours(1));
        Assert.False(Store.GetStatus().ResetLoopSuspected);
        Assert.Equal(4, Store.GetSyncState().ResetCount);
    }

    public void Dispose() => _replica.Dispose();
}
