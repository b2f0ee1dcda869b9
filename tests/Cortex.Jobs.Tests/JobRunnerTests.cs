using System.Collections.Concurrent;
using System.Diagnostics;
using Cortex.Testing;
using Microsoft.Extensions.Options;
using Xunit;

namespace Cortex.Jobs.Tests;

/// <summary>The runner in this process: retries, dead letters, concurrency, heartbeats, shutdown.</summary>
public sealed class JobRunnerTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>, IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private QueueDatabase _db = null!;

    public async Task InitializeAsync() => _db = await QueueDatabase.CreateAsync(database);

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task A_failing_job_is_retried_with_backoff_and_then_dead_lettered()
    {
        const int seed = 7;
        var starts = new ConcurrentQueue<TimeSpan>();
        var clock = Stopwatch.StartNew();
        var script = new HandlerScript("runner.always-fails", (_, _) =>
        {
            starts.Enqueue(clock.Elapsed);
            throw new InvalidOperationException("the search index is unavailable");
        });
        var baseDelay = TimeSpan.FromMilliseconds(300);
        var maxDelay = TimeSpan.FromSeconds(5);
        using var host = await RunnerHost.StartAsync(
            database.ConnectionString, script, backoff: new RetryBackoff(baseDelay, maxDelay, new Random(seed)));

        var job = await _db.Queue.EnqueueAsync(new EnqueueRequest(script.Kind) { MaxAttempts = 3 });
        var dead = await Eventually.ReturnsAsync(
            () => _db.Queue.GetAsync(job.JobId), j => j!.State == JobState.Dead, Deadline, "the job to die");
        await host.StopAsync();

        Assert.Equal(3, dead!.Attempts);
        Assert.Contains("the search index is unavailable", dead.LastError, StringComparison.Ordinal);
        var times = starts.ToArray();
        Assert.Equal(3, times.Length);
        var expected = new RetryBackoff(baseDelay, maxDelay, new Random(seed));
        Assert.True(times[1] - times[0] >= expected.DelayAfter(1), $"First retry after {times[1] - times[0]}.");
        Assert.True(times[2] - times[1] >= expected.DelayAfter(2), $"Second retry after {times[2] - times[1]}.");
        var stats = (await _db.Queue.GetStatsAsync()).Single(s => s.Kind == script.Kind);
        Assert.Equal((0, 1), (stats.Depth, stats.Dead));
    }

    [Fact]
    public async Task A_permanent_failure_or_an_unreadable_payload_dead_letters_after_one_attempt()
    {
        var script = new HandlerScript("runner.typed", (job, _) =>
        {
            var payload = job.GetPayload<TypedPayload>();
            return payload.Count < 0
                ? throw new PermanentJobFailureException("negative counts never work")
                : Task.CompletedTask;
        });
        using var host = await RunnerHost.StartAsync(database.ConnectionString, script);

        var negative = await _db.Queue.EnqueueAsync(EnqueueRequest.Create(script.Kind, new TypedPayload(-1)));
        var malformed = await _db.Queue.EnqueueAsync(EnqueueRequest.Create(script.Kind, new { count = "many" }));
        var fine = await _db.Queue.EnqueueAsync(EnqueueRequest.Create(script.Kind, new TypedPayload(3)));
        var finished = await Task.WhenAll(new[] { negative, malformed, fine }.Select(j => Eventually.ReturnsAsync(
            () => _db.Queue.GetAsync(j.JobId), s => s!.State is JobState.Dead or JobState.Succeeded, Deadline, "the job")));
        await host.StopAsync();

        Assert.Equal((JobState.Dead, 1), (finished[0]!.State, finished[0]!.Attempts));
        Assert.Contains("negative counts never work", finished[0]!.LastError, StringComparison.Ordinal);
        Assert.Equal((JobState.Dead, 1), (finished[1]!.State, finished[1]!.Attempts));
        Assert.Contains("not a TypedPayload", finished[1]!.LastError, StringComparison.Ordinal);
        Assert.Equal(JobState.Succeeded, finished[2]!.State);
    }

    [Fact]
    public async Task The_runner_runs_as_many_jobs_at_once_as_its_concurrency()
    {
        const int concurrency = 3;
        var started = 0;
        var allStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var script = new HandlerScript("runner.concurrent", async (_, token) =>
        {
            if (Interlocked.Increment(ref started) == concurrency)
            {
                allStarted.TrySetResult();
            }

            // Each job finishes only once all of them run side by side.
            await allStarted.Task.WaitAsync(token);
        });
        using var host = await RunnerHost.StartAsync(
            database.ConnectionString, script, new() { ["Cortex:Worker:Concurrency"] = $"{concurrency}" });

        await _db.Queue.EnqueueManyAsync([.. Enumerable.Range(0, concurrency).Select(_ => new EnqueueRequest(script.Kind))]);
        await allStarted.Task.WaitAsync(Deadline);
        await Eventually.ReturnsAsync(
            () => _db.ScalarAsync("SELECT count(*) FROM jobs WHERE kind = @k AND state = 'succeeded'", ("k", script.Kind)),
            n => n == concurrency, Deadline, "all jobs to succeed");
        await host.StopAsync();
    }

    [Fact]
    public async Task A_long_job_keeps_its_lease_alive_and_runs_once()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var runs = 0;
        var script = new HandlerScript("runner.long", async (_, token) =>
        {
            Interlocked.Increment(ref runs);
            await release.Task.WaitAsync(token);
        });
        using var host = await RunnerHost.StartAsync(database.ConnectionString, script, new()
        {
            ["Cortex:Worker:LeaseDuration"] = "00:00:02",
            ["Cortex:Worker:HeartbeatInterval"] = "00:00:00.2",
        });

        var job = await _db.Queue.EnqueueAsync(new EnqueueRequest(script.Kind));
        var taken = await Eventually.ReturnsAsync(
            () => _db.Queue.GetAsync(job.JobId), j => j!.State == JobState.Running, Deadline, "the job to start");

        // Twice the lease: only heartbeats keep the job from being taken again.
        await Eventually.ReturnsAsync(
            () => _db.Queue.GetAsync(job.JobId), j => j!.LockedUntil > taken!.LockedUntil + TimeSpan.FromSeconds(4),
            Deadline, "the lease to be extended well past its first expiry");
        release.TrySetResult();
        var done = await Eventually.ReturnsAsync(
            () => _db.Queue.GetAsync(job.JobId), j => j!.State == JobState.Succeeded, Deadline, "the job to finish");
        await host.StopAsync();

        Assert.Equal(1, done!.Attempts);
        Assert.Equal(1, runs);
    }

    [Fact]
    public async Task Stopping_the_runner_hands_running_jobs_back_without_using_an_attempt()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var script = new HandlerScript("runner.shutdown", async (_, token) =>
        {
            started.TrySetResult();
            await Task.Delay(Timeout.Infinite, token);
        });
        var host = await RunnerHost.StartAsync(database.ConnectionString, script);
        var job = await _db.Queue.EnqueueAsync(new EnqueueRequest(script.Kind));
        await started.Task.WaitAsync(Deadline);

        await host.StopAsync();
        host.Dispose();

        var snapshot = await _db.Queue.GetAsync(job.JobId);
        Assert.Equal((JobState.Queued, 0), (snapshot!.State, snapshot.Attempts));
    }

    [Fact]
    public async Task Invalid_runner_settings_stop_the_start_naming_the_setting()
    {
        var script = new HandlerScript("runner.invalid", (_, _) => Task.CompletedTask);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => RunnerHost.StartAsync(
            database.ConnectionString, script, new()
            {
                ["Cortex:Worker:Concurrency"] = "0",
                ["Cortex:Worker:LeaseDuration"] = "00:00:10",
                ["Cortex:Worker:HeartbeatInterval"] = "00:00:20",
            }));

        Assert.Contains("Cortex:Worker:Concurrency", error.Message, StringComparison.Ordinal);
        Assert.Contains("Cortex:Worker:HeartbeatInterval", error.Message, StringComparison.Ordinal);
    }

    private sealed record TypedPayload(int Count);
}
