using System.Text.Json;
using Cortex.Testing;
using Npgsql;
using Xunit;

namespace Cortex.Jobs.Tests;

/// <summary>The queue's statements, driven directly. Each test uses its own job kinds in the class's database.</summary>
public sealed class JobQueueTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>, IAsyncLifetime
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);

    private QueueDatabase _db = null!;

    private JobQueue Queue => _db.Queue;

    public async Task InitializeAsync() => _db = await QueueDatabase.CreateAsync(database);

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task A_job_enqueued_inside_a_rolled_back_transaction_does_not_exist()
    {
        await using var connection = await database.OpenConnectionAsync();
        long rolledBack;
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            rolledBack = (await JobQueue.EnqueueAsync(transaction, new EnqueueRequest("rollback.kind"))).JobId;
            await transaction.RollbackAsync();
        }

        long committed;
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            committed = (await JobQueue.EnqueueAsync(transaction, new EnqueueRequest("rollback.kind"))).JobId;
            await transaction.CommitAsync();
        }

        Assert.Null(await Queue.GetAsync(rolledBack));
        Assert.Equal(JobState.Queued, (await Queue.GetAsync(committed))!.State);
        Assert.Equal(1, (await Queue.GetStatsAsync()).Single(s => s.Kind == "rollback.kind").Queued);
    }

    [Fact]
    public async Task Listeners_are_notified_with_the_kind_when_the_enqueueing_transaction_commits()
    {
        await using var listener = await database.OpenConnectionAsync();
        var kinds = new List<string>();
        listener.Notification += (_, e) => kinds.Add(e.Payload);
        await using (var listen = new NpgsqlCommand("LISTEN cortex_jobs", listener))
        {
            await listen.ExecuteNonQueryAsync();
        }

        await using var connection = await database.OpenConnectionAsync();
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await JobQueue.EnqueueAsync(transaction, new EnqueueRequest("notify.kind"));
            await JobQueue.EnqueueAsync(transaction, new EnqueueRequest("notify.kind"));
            await transaction.CommitAsync();
        }

        Assert.True(await listener.WaitAsync(TimeSpan.FromSeconds(10)), "No notification arrived.");
        Assert.Contains("notify.kind", kinds);
    }

    [Fact]
    public async Task A_dedup_key_is_unique_among_unfinished_jobs_only()
    {
        var request = new EnqueueRequest("dedup.kind") { DedupKey = "thread-42" };

        var first = await Queue.EnqueueAsync(request);
        var second = await Queue.EnqueueAsync(request);
        var otherKey = await Queue.EnqueueAsync(request with { DedupKey = "thread-43" });
        var lease = Assert.Single(await Queue.DequeueAsync("w", ["dedup.kind"], 1, Lease));
        var whileRunning = await Queue.EnqueueAsync(request);
        await Queue.CompleteAsync(lease);
        var afterFinish = await Queue.EnqueueAsync(request);

        Assert.True(first.Created);
        Assert.Equal(first with { Created = false }, second);
        Assert.True(otherKey.Created);
        Assert.Equal(first.JobId, lease.JobId);
        Assert.Equal(first with { Created = false }, whileRunning);
        Assert.True(afterFinish.Created);
        Assert.NotEqual(first.JobId, afterFinish.JobId);
    }

    [Fact]
    public async Task Dequeue_hands_out_due_jobs_of_the_asked_kinds_oldest_first_with_their_payload()
    {
        var payload = JsonSerializer.SerializeToElement(new { threadId = 7, title = "ünïcode" });
        var first = await Queue.EnqueueAsync(new EnqueueRequest("order.a", payload));
        var second = await Queue.EnqueueAsync(EnqueueRequest.Create("order.a", new { n = 2 }));
        await Queue.EnqueueAsync(new EnqueueRequest("order.b"));
        await Queue.EnqueueAsync(new EnqueueRequest("order.a") { RunAfter = DateTimeOffset.UtcNow.AddHours(1) });

        var leases = await Queue.DequeueAsync("worker-1", ["order.a"], 10, Lease);

        Assert.Equal([first.JobId, second.JobId], leases.Select(l => l.JobId));
        Assert.Equal(7, leases[0].Payload.GetProperty("threadId").GetInt32());
        Assert.Equal("ünïcode", leases[0].Payload.GetProperty("title").GetString());
        Assert.All(leases, l => Assert.Equal((1, "worker-1"), (l.Attempt, l.WorkerId)));
        Assert.Empty(await Queue.DequeueAsync("worker-2", ["order.a"], 10, Lease));
        var delay = await Queue.TimeUntilNextDueAsync(["order.b"]);
        Assert.Equal(TimeSpan.Zero, delay);
    }

    [Fact]
    public async Task An_expired_lease_lets_another_worker_take_the_job_and_fences_out_the_first()
    {
        var job = await Queue.EnqueueAsync(new EnqueueRequest("lease.kind"));
        var first = Assert.Single(await Queue.DequeueAsync("worker-a", ["lease.kind"], 1, TimeSpan.FromSeconds(1)));
        Assert.Empty(await Queue.DequeueAsync("worker-b", ["lease.kind"], 1, Lease));

        var second = await Eventually.ReturnsAsync(
            () => Queue.DequeueAsync("worker-b", ["lease.kind"], 1, Lease), l => l.Count == 1,
            TimeSpan.FromSeconds(20), "the lease to expire");

        Assert.Equal((job.JobId, 2, "worker-b"), (second[0].JobId, second[0].Attempt, second[0].WorkerId));
        Assert.False(await Queue.ExtendLeaseAsync(first, Lease));
        Assert.False(await Queue.CompleteAsync(first));
        Assert.Null(await Queue.FailAsync(first, "late", TimeSpan.Zero));
        Assert.True(await Queue.CompleteAsync(second[0]));
        var snapshot = await Queue.GetAsync(job.JobId);
        Assert.Equal((JobState.Succeeded, 2, "worker-b"), (snapshot!.State, snapshot.Attempts, snapshot.LockedBy));
        Assert.Contains("lease of worker-a expired", snapshot.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Failures_are_retried_after_the_delay_then_dead_lettered_and_can_be_requeued()
    {
        var job = await Queue.EnqueueAsync(new EnqueueRequest("retry.kind") { MaxAttempts = 2 });

        var attempt1 = Assert.Single(await Queue.DequeueAsync("w", ["retry.kind"], 1, Lease));
        Assert.Equal(JobState.Failed, await Queue.FailAsync(attempt1, "boom 1", TimeSpan.FromHours(1)));
        Assert.Empty(await Queue.DequeueAsync("w", ["retry.kind"], 1, Lease));
        var wait = await Queue.TimeUntilNextDueAsync(["retry.kind"]);
        Assert.InRange(wait!.Value, TimeSpan.FromMinutes(59), TimeSpan.FromHours(1));
        await _db.ExecuteAsync($"UPDATE jobs SET run_after = now() WHERE id = {job.JobId}");
        var attempt2 = Assert.Single(await Queue.DequeueAsync("w", ["retry.kind"], 1, Lease));
        Assert.Equal(JobState.Dead, await Queue.FailAsync(attempt2, "boom 2", TimeSpan.Zero));

        var dead = await Queue.GetAsync(job.JobId);
        Assert.Equal((JobState.Dead, 2, "boom 2"), (dead!.State, dead.Attempts, dead.LastError));
        Assert.NotNull(dead.FinishedAt);
        Assert.Equal(1, (await Queue.GetStatsAsync()).Single(s => s.Kind == "retry.kind").Dead);
        Assert.Empty(await Queue.DequeueAsync("w", ["retry.kind"], 1, Lease));

        Assert.True(await Queue.RequeueDeadAsync(job.JobId));
        Assert.False(await Queue.RequeueDeadAsync(job.JobId));
        var revived = Assert.Single(await Queue.DequeueAsync("w", ["retry.kind"], 1, Lease));
        Assert.Equal(1, revived.Attempt);
    }

    [Fact]
    public async Task A_permanent_failure_dead_letters_at_once()
    {
        var job = await Queue.EnqueueAsync(new EnqueueRequest("permanent.kind") { MaxAttempts = 5 });
        var lease = Assert.Single(await Queue.DequeueAsync("w", ["permanent.kind"], 1, Lease));

        Assert.Equal(JobState.Dead, await Queue.FailAsync(lease, "bad payload", TimeSpan.Zero, permanent: true));
        Assert.Equal(1, (await Queue.GetAsync(job.JobId))!.Attempts);
    }

    [Fact]
    public async Task A_lease_that_expires_in_the_last_attempt_is_dead_lettered_by_the_reaper()
    {
        var job = await Queue.EnqueueAsync(new EnqueueRequest("reap.kind") { MaxAttempts = 1 });
        Assert.Single(await Queue.DequeueAsync("worker-a", ["reap.kind"], 1, TimeSpan.FromMilliseconds(200)));

        await Eventually.ReturnsAsync(
            () => Queue.TimeUntilNextDueAsync(["reap.kind"]), due => due == TimeSpan.Zero,
            TimeSpan.FromSeconds(20), "the lease to expire");
        Assert.Empty(await Queue.DequeueAsync("worker-b", ["reap.kind"], 1, Lease));
        Assert.True(await Queue.ReapExpiredLeasesAsync() >= 1);

        var dead = await Queue.GetAsync(job.JobId);
        Assert.Equal(JobState.Dead, dead!.State);
        Assert.Contains("lease of worker-a expired during the last attempt", dead.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Releasing_on_shutdown_hands_the_job_back_without_using_an_attempt()
    {
        var job = await Queue.EnqueueAsync(new EnqueueRequest("release.kind"));
        var lease = Assert.Single(await Queue.DequeueAsync("w", ["release.kind"], 1, Lease));

        Assert.True(await Queue.ReleaseAsync(lease));

        var snapshot = await Queue.GetAsync(job.JobId);
        Assert.Equal((JobState.Queued, 0), (snapshot!.State, snapshot.Attempts));
        Assert.Equal(1, Assert.Single(await Queue.DequeueAsync("w", ["release.kind"], 1, Lease)).Attempt);
    }

    [Fact]
    public async Task Stats_count_queue_depth_running_retrying_and_dead_per_kind()
    {
        await Queue.EnqueueManyAsync(
        [
            .. Enumerable.Range(0, 5).Select(_ => new EnqueueRequest("stats.a")),
            new EnqueueRequest("stats.b") { MaxAttempts = 1 },
            new EnqueueRequest("stats.b"),
            new EnqueueRequest("stats.b"),
        ]);
        var running = await Queue.DequeueAsync("w", ["stats.a"], 2, Lease);
        var b = await Queue.DequeueAsync("w", ["stats.b"], 3, Lease);
        await Queue.FailAsync(b[0], "dead", TimeSpan.Zero);
        await Queue.FailAsync(b[1], "retry", TimeSpan.FromHours(1));
        await Queue.CompleteAsync(b[2]);
        await Queue.CompleteAsync(running[0]);

        var stats = (await Queue.GetStatsAsync()).Where(s => s.Kind.StartsWith("stats.", StringComparison.Ordinal)).ToList();

        Assert.Equal(
        [
            new JobKindStats("stats.a", Queued: 3, Retrying: 0, Running: 1, Dead: 0),
            new JobKindStats("stats.b", Queued: 0, Retrying: 1, Running: 0, Dead: 1),
        ], stats);
        Assert.Equal(3, stats[0].Depth);
        Assert.Equal(1, stats[1].Depth);
    }

    [Fact]
    public async Task Enqueue_many_skips_dedup_conflicts_and_honours_run_after()
    {
        var created = await Queue.EnqueueManyAsync(
        [
            new EnqueueRequest("many.kind") { DedupKey = "x" },
            new EnqueueRequest("many.kind") { DedupKey = "x" },
            new EnqueueRequest("many.kind") { RunAfter = DateTimeOffset.UtcNow.AddDays(1) },
            new EnqueueRequest("many.kind"),
        ]);

        Assert.Equal(3, created);
        Assert.Equal(2, (await Queue.DequeueAsync("w", ["many.kind"], 10, Lease)).Count);
    }

    [Fact]
    public async Task Purge_deletes_only_succeeded_jobs_past_the_retention()
    {
        var old = await Queue.EnqueueAsync(new EnqueueRequest("purge.kind"));
        var recent = await Queue.EnqueueAsync(new EnqueueRequest("purge.kind"));
        var deadOld = await Queue.EnqueueAsync(new EnqueueRequest("purge.kind") { MaxAttempts = 1 });
        var leases = await Queue.DequeueAsync("w", ["purge.kind"], 3, Lease);
        await Queue.CompleteAsync(leases.Single(l => l.JobId == old.JobId));
        await Queue.CompleteAsync(leases.Single(l => l.JobId == recent.JobId));
        await Queue.FailAsync(leases.Single(l => l.JobId == deadOld.JobId), "x", TimeSpan.Zero);
        await _db.ExecuteAsync(
            $"UPDATE jobs SET finished_at = now() - interval '8 days' WHERE id IN ({old.JobId}, {deadOld.JobId})");

        var purged = await Queue.PurgeSucceededAsync(TimeSpan.FromDays(7), batchSize: 1);

        Assert.Equal(1, purged);
        Assert.Null(await Queue.GetAsync(old.JobId));
        Assert.NotNull(await Queue.GetAsync(recent.JobId));
        Assert.NotNull(await Queue.GetAsync(deadOld.JobId));
    }

    [Fact]
    public async Task Requeueing_all_dead_jobs_of_a_kind_revives_one_per_dedup_key()
    {
        await Queue.EnqueueAsync(new EnqueueRequest("requeue.kind") { MaxAttempts = 1, DedupKey = "k" });
        var first = Assert.Single(await Queue.DequeueAsync("w", ["requeue.kind"], 1, Lease));
        await Queue.FailAsync(first, "x", TimeSpan.Zero);
        await Queue.EnqueueAsync(new EnqueueRequest("requeue.kind") { MaxAttempts = 1, DedupKey = "k" });
        await Queue.EnqueueAsync(new EnqueueRequest("requeue.kind") { MaxAttempts = 1 });
        foreach (var lease in await Queue.DequeueAsync("w", ["requeue.kind"], 2, Lease))
        {
            await Queue.FailAsync(lease, "x", TimeSpan.Zero);
        }

        Assert.Equal(2, await Queue.RequeueAllDeadAsync("requeue.kind"));
        Assert.Equal(0, await Queue.RequeueAllDeadAsync("requeue.kind"));
        Assert.Equal(2, (await Queue.GetStatsAsync()).Single(s => s.Kind == "requeue.kind").Queued);
    }

    [Fact]
    public void Kinds_are_validated_before_they_reach_the_database()
    {
        Assert.Throws<ArgumentException>(() => new EnqueueRequest("Bad Kind"));
        Assert.Throws<ArgumentException>(() => new EnqueueRequest(string.Empty));
        Assert.Throws<ArgumentOutOfRangeException>(() => new EnqueueRequest("ok") { MaxAttempts = 0 });
    }

    [Fact]
    public async Task The_schema_can_be_ensured_again_and_concurrently()
    {
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => JobsSchema.EnsureAsync(_db.DataSource)));

        Assert.Contains("CREATE TABLE IF NOT EXISTS jobs", JobsSchema.Sql, StringComparison.Ordinal);
    }
}
