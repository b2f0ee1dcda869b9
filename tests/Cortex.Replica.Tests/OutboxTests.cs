using Cortex.SyncProtocol;
using static Cortex.Replica.Tests.Changes;

namespace Cortex.Replica.Tests;

public sealed class OutboxTests : IDisposable
{
    private readonly ManualTime _time = new();
    private readonly TempReplica _replica;

    public OutboxTests()
    {
        _replica = new TempReplica(new ReplicaOptions
        {
            Time = _time,
            Random = new Random(42),
            Outbox = new OutboxOptions { BaseDelay = TimeSpan.FromSeconds(1), MaxDelay = TimeSpan.FromSeconds(60), MaxAttempts = 6 },
        });
        _replica.Store.ResetEpoch(1, "first sync");
    }

    private ReplicaOutbox Outbox => _replica.Store.Outbox;

    [Fact]
    public void Client_ids_are_ulids_in_creation_order_even_within_one_millisecond()
    {
        var ids = Enumerable.Range(0, 50).Select(i => Outbox.Enqueue("observation.create", [(byte)i]).ClientId).ToList();

        Assert.All(ids, id => Assert.True(Ulid.TryParse(id, out _)));
        Assert.Equal(ids.Order(StringComparer.Ordinal), ids);
        Assert.Equal(ids.Count, ids.Distinct().Count());

        _replica.Reopen();
        var later = _replica.Store.Outbox.Enqueue("observation.create", [0]).ClientId;
        Assert.True(string.CompareOrdinal(later, ids[^1]) > 0);
    }

    [Fact]
    public void NextBatch_hands_out_the_oldest_items_in_order_and_nothing_while_they_are_in_flight()
    {
        var ids = Enumerable.Range(0, 5).Select(i => Outbox.Enqueue("comment.create", [(byte)i], "thread", "t1", baseVersion: 3).ClientId).ToList();

        var first = Outbox.NextBatch(3);

        Assert.Equal(ids[..3], first.Select(m => m.ClientId));
        Assert.Equal(("comment.create", "thread", "t1", 3L), (first[0].Kind, first[0].TargetEntity, first[0].TargetId, first[0].BaseVersion!.Value));
        Assert.Empty(Outbox.NextBatch(3));

        Outbox.RecordVerdicts(first.Select(m => Accepted(m.ClientId, 5)));
        Assert.Equal(ids[3..], Outbox.NextBatch(3).Select(m => m.ClientId));
    }

    [Fact]
    public void A_rejected_write_does_not_block_the_ones_behind_it()
    {
        var ids = Enumerable.Range(0, 3).Select(i => Outbox.Enqueue("comment.create", [(byte)i]).ClientId).ToList();
        var sent = Outbox.NextBatch(1);

        Outbox.RecordVerdicts([new MutationVerdict { ClientId = sent[0].ClientId, Outcome = VerdictOutcome.Rejected, ReasonCode = RejectionReasons.Forbidden, Message = "read-only subcortex" }]);

        Assert.Equal(ids[1..], Outbox.NextBatch(10).Select(m => m.ClientId));
        var rejection = Assert.Single(_replica.Store.GetStatus().RecentRejections);
        Assert.Equal((ids[0], RejectionReasons.Forbidden, "read-only subcortex"), (rejection.ClientId, rejection.ReasonCode, rejection.ReasonMessage));
    }

    [Fact]
    public void A_failed_upload_is_retried_after_an_exponential_backoff_with_jitter_and_order_holds()
    {
        var ids = Enumerable.Range(0, 2).Select(i => Outbox.Enqueue("comment.create", [(byte)i]).ClientId).ToList();
        var delays = new List<TimeSpan>();
        for (var attempt = 1; attempt <= 4; attempt++)
        {
            var batch = Outbox.NextBatch(10);
            Assert.Equal(ids[0], batch[0].ClientId);
            Outbox.RecordFailure(batch.Select(m => m.ClientId), "connection refused");
            var item = Outbox.Get(ids[0])!;
            Assert.Equal((OutboxState.Pending, attempt, "connection refused"), (item.State, item.Attempts, item.LastError));
            delays.Add(item.NextAttemptAt - _time.GetUtcNow());

            // A write queued meanwhile is ready at once, but must not overtake the older one.
            Outbox.Enqueue("comment.create", [9]);
            Assert.Empty(Outbox.NextBatch(10));
            _time.Advance(delays[^1]);
        }

        for (var i = 0; i < delays.Count; i++)
        {
            var ceiling = TimeSpan.FromSeconds(Math.Pow(2, i));
            Assert.InRange(delays[i], ceiling / 2, ceiling);
        }

        Assert.Equal(4, delays.Distinct().Count());
    }

    [Fact]
    public void Backoff_is_capped()
    {
        Assert.InRange(Outbox.Backoff(40), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(60));
    }

    [Fact]
    public void After_repeated_failures_the_oldest_item_is_sent_alone_and_finally_given_up()
    {
        var ids = Enumerable.Range(0, 3).Select(i => Outbox.Enqueue("comment.create", [(byte)i]).ClientId).ToList();
        var sizes = new List<int>();
        for (var attempt = 1; attempt <= 6; attempt++)
        {
            var batch = Outbox.NextBatch(10);
            sizes.Add(batch.Count);
            Outbox.RecordVerdicts(batch.Skip(1).Select(m => Accepted(m.ClientId, 1)));
            Outbox.RecordFailure([batch[0].ClientId], "message too large");
            _time.Advance(TimeSpan.FromMinutes(2));
        }

        Assert.Equal([3, 1, 1, 1, 1, 1], sizes);
        var poison = Outbox.Get(ids[0])!;
        Assert.Equal((OutboxState.Rejected, OutboxReasons.Undeliverable), (poison.State, poison.ReasonCode));
        Assert.Empty(Outbox.NextBatch(10));
    }

    [Fact]
    public void An_upload_without_an_answer_times_out_instead_of_stalling_the_queue()
    {
        var id = Outbox.Enqueue("comment.create", [1]).ClientId;
        Outbox.NextBatch(10);

        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.Empty(Outbox.NextBatch(10));
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.Empty(Outbox.NextBatch(10));
        Assert.Equal(OutboxState.Pending, Outbox.Get(id)!.State);

        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal([id], Outbox.NextBatch(10).Select(m => m.ClientId));
    }

    [Fact]
    public void Items_in_flight_at_a_crash_are_resent_after_restart()
    {
        var id = Outbox.Enqueue("comment.create", [1]).ClientId;
        Outbox.NextBatch(10);

        _replica.Reopen();

        Assert.Equal([id], _replica.Store.Outbox.NextBatch(10).Select(m => m.ClientId));
    }

    [Fact]
    public void The_first_verdict_is_final()
    {
        var id = Outbox.Enqueue("comment.create", [1]).ClientId;
        Outbox.NextBatch(10);

        Assert.Equal(1, Outbox.RecordVerdicts([Accepted(id, 7)]));
        Assert.Equal(0, Outbox.RecordVerdicts([new MutationVerdict { ClientId = id, Outcome = VerdictOutcome.Rejected, ReasonCode = "x" }]));
        Assert.Equal(0, Outbox.RecordVerdicts([Accepted("01JDQ6Y4ZK8W0S2G7M3T5V9XZZ", 1)]));

        Assert.Equal((OutboxState.Accepted, 7L), (Outbox.Get(id)!.State, Outbox.Get(id)!.VisibleAt!.Value));
    }

    [Fact]
    public void Writes_stay_visible_locally_until_the_cursor_reaches_the_position_their_verdict_named()
    {
        var comment = Outbox.Enqueue("comment.create", [1]).ClientId;
        var draft = Outbox.Enqueue("thread.create", [2]).ClientId;
        var rejected = Outbox.Enqueue("comment.create", [3]).ClientId;
        Assert.All(Outbox.LocalWrites(), w => Assert.Equal(LocalWriteVisibility.Pending, w.Visibility));

        Outbox.NextBatch(10);
        Outbox.RecordVerdicts([
            Accepted(comment, 15),
            new MutationVerdict { ClientId = draft, Outcome = VerdictOutcome.ConvertedToDraft, DraftId = "d1", VisibleAt = 25 },
            new MutationVerdict { ClientId = rejected, Outcome = VerdictOutcome.Rejected, ReasonCode = RejectionReasons.SecretDetected },
        ]);

        Assert.Equal([(comment, LocalWriteVisibility.AwaitingFeed), (draft, LocalWriteVisibility.AwaitingFeed)],
            Outbox.LocalWrites().Select(w => (w.Item.ClientId, w.Visibility)));
        Assert.Equal(25, Outbox.ReadYourWritesHorizon());
        Assert.False(Outbox.IsVisibleInReplica(comment));

        _replica.Store.ApplyBatch(Batch(0, 15, Upsert(15, "comment", "c1", """{"threadId":"t1"}""")));
        Assert.True(Outbox.IsVisibleInReplica(comment));
        Assert.Equal([draft], Outbox.LocalWrites().Select(w => w.Item.ClientId));

        _replica.Store.ApplyBatch(Batch(15, 30));
        Assert.Empty(Outbox.LocalWrites());
        Assert.False(Outbox.IsVisibleInReplica(rejected));
    }

    [Fact]
    public void Pruning_keeps_undecided_and_not_yet_visible_writes()
    {
        var visible = Outbox.Enqueue("comment.create", [1]).ClientId;
        var awaiting = Outbox.Enqueue("comment.create", [2]).ClientId;
        var pending = Outbox.Enqueue("comment.create", [3]).ClientId;
        Outbox.NextBatch(2);
        Outbox.RecordVerdicts([Accepted(visible, 5), Accepted(awaiting, 50)]);
        _replica.Store.ApplyBatch(Batch(0, 10));
        _time.Advance(TimeSpan.FromDays(2));

        Assert.Equal(1, Outbox.Prune(TimeSpan.FromDays(1)));

        Assert.Null(Outbox.Get(visible));
        Assert.NotNull(Outbox.Get(awaiting));
        Assert.NotNull(Outbox.Get(pending));
    }

    [Fact]
    public void Switching_principal_wipes_synced_data_and_gives_up_the_old_principals_writes()
    {
        _replica.Store.SetConnection("http://localhost:5000", "p-1");
        _replica.Store.ApplyBatch(Batch(0, 10, Thread(3, "t1")));
        var id = Outbox.Enqueue("comment.create", [1]).ClientId;

        _replica.Store.SetConnection("http://localhost:5000", "p-2");

        Assert.Empty(_replica.Rows());
        Assert.Equal((0L, 0L, "p-2"), (_replica.Store.GetSyncState().Epoch, _replica.Store.GetSyncState().Cursor, _replica.Store.GetSyncState().PrincipalId));
        Assert.Equal((OutboxState.Rejected, OutboxReasons.PrincipalChanged), (Outbox.Get(id)!.State, Outbox.Get(id)!.ReasonCode));
    }

    private static MutationVerdict Accepted(string clientId, long visibleAt) =>
        new() { ClientId = clientId, Outcome = VerdictOutcome.Accepted, VisibleAt = visibleAt, EntityId = "e-" + clientId };

    public void Dispose() => _replica.Dispose();
}
