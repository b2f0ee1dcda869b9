using Microsoft.Data.Sqlite;
using static Cortex.Replica.Tests.Changes;

namespace Cortex.Replica.Tests;

public sealed class BatchApplyTests : IDisposable
{
    private readonly TempReplica _replica = new();

    public BatchApplyTests() => _replica.Store.ResetEpoch(1, "first sync");

    private ReplicaStore Store => _replica.Store;

    [Fact]
    public void A_batch_writes_its_rows_and_moves_the_cursor_to_its_end()
    {
        var result = Store.ApplyBatch(Batch(0, 10, Thread(3, "t1", "Flaky deploy"), Upsert(7, "comment", "c1", """{"threadId":"t1","authorId":"p-2"}""")));

        Assert.Equal(new ApplyResult(ApplyOutcome.Applied, 10, 2), result);
        Assert.Equal(10, Store.GetSyncState().Cursor);
        Assert.Equal("Flaky deploy", _replica.Query<string>("SELECT title FROM threads WHERE id = 't1'"));
        Assert.Equal("t1", _replica.Query<string>("SELECT thread_id FROM comments WHERE id = 'c1'"));
        Assert.Equal(3, _replica.Query<long>("SELECT position FROM threads WHERE id = 't1'"));
        Assert.Equal(2, _replica.ShadowIndex().Count);
    }

    [Fact]
    public void Reapplying_a_batch_the_cursor_covers_changes_nothing()
    {
        var batch = Batch(0, 10, Thread(3, "t1", "first"));
        Store.ApplyBatch(batch);
        Store.ApplyBatch(Batch(10, 20, Thread(15, "t1", "second", version: 2)));

        var again = Store.ApplyBatch(batch);

        Assert.Equal(ApplyOutcome.AlreadyApplied, again.Outcome);
        Assert.Equal(20, Store.GetSyncState().Cursor);
        Assert.Equal("second", _replica.Query<string>("SELECT title FROM threads WHERE id = 't1'"));
    }

    [Fact]
    public void An_overlapping_batch_applies_only_what_lies_after_the_cursor()
    {
        Store.ApplyBatch(Batch(0, 10, Thread(3, "t1", "first")));
        Store.ApplyBatch(Batch(10, 20, Thread(12, "t1", "second", version: 2)));

        var result = Store.ApplyBatch(Batch(0, 30, Thread(3, "t1", "first"), Thread(12, "t1", "second", version: 2), Thread(25, "t2")));

        Assert.Equal(new ApplyResult(ApplyOutcome.Applied, 30, 1), result);
        Assert.Equal("second", _replica.Query<string>("SELECT title FROM threads WHERE id = 't1'"));
        Assert.Equal(2, _replica.Query<long>("SELECT count(*) FROM threads"));
    }

    [Fact]
    public void A_batch_starting_after_the_cursor_is_refused_and_changes_nothing()
    {
        Store.ApplyBatch(Batch(0, 10, Thread(3, "t1")));

        var gap = Assert.Throws<FeedGapException>(() => Store.ApplyBatch(Batch(11, 20, Thread(15, "t2"))));

        Assert.Equal((10, 11), (gap.Cursor, gap.BatchAfter));
        Assert.Equal(10, Store.GetSyncState().Cursor);
        Assert.Single(_replica.Rows());
    }

    [Fact]
    public void A_batch_of_another_epoch_is_refused()
    {
        var error = Assert.Throws<EpochMismatchException>(() => Store.ApplyBatch(Batch(2, 0, 10, Thread(3, "t1"))));

        Assert.Equal((1, 2), (error.ReplicaEpoch, error.MessageEpoch));
        Assert.Empty(_replica.Rows());
    }

    [Fact]
    public void A_batch_with_a_change_outside_its_range_is_refused_whole()
    {
        Assert.Throws<MalformedBatchException>(() => Store.ApplyBatch(Batch(0, 10, Thread(3, "t1"), Thread(11, "t2"))));
        Assert.Throws<MalformedBatchException>(() => Store.ApplyBatch(Batch(0, 10, Thread(5, "t1"), Thread(4, "t2"))));
        Assert.Throws<MalformedBatchException>(() => Store.ApplyBatch(Batch(10, 5)));

        Assert.Empty(_replica.Rows());
        Assert.Equal(0, Store.GetSyncState().Cursor);
    }

    [Fact]
    public void A_malformed_payload_rolls_back_the_rows_written_before_it()
    {
        var batch = Batch(0, 10, Thread(3, "t1"), Upsert(4, "thread", "t2", "{not json"));

        Assert.Throws<MalformedBatchException>(() => Store.ApplyBatch(batch));

        Assert.Empty(_replica.Rows());
        Assert.Empty(_replica.ShadowIndex());
        Assert.Equal(0, Store.GetSyncState().Cursor);
    }

    [Fact]
    public void A_sink_that_throws_rolls_back_rows_and_cursor()
    {
        using var replica = new TempReplica(new ReplicaOptions { ChangeSink = new ThrowingSink() });
        replica.Store.ResetEpoch(1, "first sync");

        Assert.Throws<InvalidOperationException>(() => replica.Store.ApplyBatch(Batch(0, 10, Thread(3, "t1"))));

        Assert.Empty(replica.Rows());
        Assert.Equal(0, replica.Store.GetSyncState().Cursor);
    }

    [Fact]
    public void The_sink_sees_each_items_final_state_once()
    {
        var sink = new RecordingSink();
        using var replica = new TempReplica(new ReplicaOptions { ChangeSink = sink });
        replica.Store.ResetEpoch(1, "first sync");

        replica.Store.ApplyBatch(Batch(0, 10,
            Thread(1, "t1", "v1"), Thread(2, "t1", "v2", version: 2), Thread(3, "t2"), Delete(4, "thread", "t2"),
            Upsert(5, "observation", "o1", """{"kind":"ci"}""", embedding: [1f, 2f])));

        var changes = sink.Changes[^1];
        Assert.Equal(["t1", "o1"], changes.Upserted.Select(i => i.Id));
        Assert.Equal(2, changes.Upserted[0].Version);
        Assert.Equal([1f, 2f], changes.Upserted[1].Embedding!);
        Assert.True(changes.Upserted[1].Searchable);
        Assert.Equal([new ReplicaItemKey("thread", "t2")], changes.Deleted);
    }

    [Fact]
    public void Unknown_entities_are_kept_so_the_cursor_can_move()
    {
        Store.ApplyBatch(Batch(0, 10, Upsert(2, "gadget", "g1", """{"x":1}""")));

        Assert.Equal("""{"x":1}""", Store.GetJson("gadget", "g1"));
        Assert.Equal(1, Store.GetStatus().ItemCounts["gadget"]);
        Store.ApplyBatch(Batch(10, 20, Delete(12, "gadget", "g1")));
        Assert.Null(Store.GetJson("gadget", "g1"));
    }

    [Fact]
    public void Deleting_an_entity_drops_its_document_body()
    {
        Store.ApplyBatch(Batch(0, 10, Thread(3, "t1")));
        Store.Documents.Append("t1", [1, 2, 3], DocumentUpdateOrigin.Server, "body");

        Store.ApplyBatch(Batch(10, 20, Delete(12, "thread", "t1")));

        Assert.Empty(Store.Documents.GetUpdates("t1"));
        Assert.Null(Store.Documents.GetText("t1"));
    }

    [Fact]
    public void Embeddings_are_stored_as_little_endian_float32()
    {
        Store.ApplyBatch(Batch(0, 10, Upsert(2, "observation", "o1", """{"kind":"ci"}""", embedding: [1f, -2.5f])));

        Assert.Equal(8, _replica.Query<long>("SELECT length(embedding) FROM observations WHERE id = 'o1'"));
        Assert.Equal(
            Convert.ToHexString(System.Runtime.InteropServices.MemoryMarshal.AsBytes<float>([1f, -2.5f])),
            _replica.Query<string>("SELECT hex(embedding) FROM observations WHERE id = 'o1'"));
    }

    [Fact]
    public void Embeddings_can_be_left_to_the_sink()
    {
        var sink = new RecordingSink();
        using var replica = new TempReplica(new ReplicaOptions { ChangeSink = sink, StoreEmbeddings = false });
        replica.Store.ResetEpoch(1, "first sync");

        replica.Store.ApplyBatch(Batch(0, 10, Upsert(2, "observation", "o1", """{"kind":"ci"}""", embedding: [1f, -2.5f])));

        Assert.Equal(1, replica.Query<long>("SELECT count(*) FROM observations WHERE embedding IS NULL"));
        Assert.Equal([1f, -2.5f], sink.Changes[^1].Upserted[0].Embedding!);
    }

    public void Dispose() => _replica.Dispose();

    private sealed class ThrowingSink : IReplicaChangeSink
    {
        public void OnChanges(ReplicaChangeSet changes, SqliteTransaction transaction)
        {
            if (changes.Upserted.Count > 0)
            {
                throw new InvalidOperationException("index full");
            }
        }
    }

    private sealed class RecordingSink : IReplicaChangeSink
    {
        public List<ReplicaChangeSet> Changes { get; } = [];

        public void OnChanges(ReplicaChangeSet changes, SqliteTransaction transaction) => Changes.Add(changes);
    }
}
