using Cortex.Testing;
using Cortex.Worker.TestHandlers;
using Xunit;

namespace Cortex.Jobs.Tests;

/// <summary>Real <c>cortex-worker</c> processes against the class's database.</summary>
public sealed class WorkerProcessTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>, IAsyncLifetime
{
    /// <summary>Short, so the killed worker's job comes back soon.</summary>
    private static readonly TimeSpan ShortLease = TimeSpan.FromSeconds(2);

    /// <summary>Long enough that a starved machine cannot let a healthy worker's lease lapse mid-job.</summary>
    private static readonly TimeSpan SafeLease = TimeSpan.FromSeconds(15);

    private readonly List<WorkerProcess> _workers = [];
    private QueueDatabase _db = null!;

    public async Task InitializeAsync()
    {
        _db = await QueueDatabase.CreateAsync(database);
        await _db.ExecuteAsync(TestHandlerTables.Sql);
    }

    public async Task DisposeAsync()
    {
        foreach (var worker in _workers)
        {
            await worker.DisposeAsync();
        }

        await _db.DisposeAsync();
    }

    [Fact]
    public async Task A_killed_workers_job_is_picked_up_by_another_worker_after_the_lease_expires()
    {
        var first = await StartWorkerAsync("worker-killed", ShortLease);
        var job = await _db.Queue.EnqueueAsync(new EnqueueRequest(BlockFirstAttemptHandler.JobKind));
        await Eventually.ReturnsAsync(
            () => _db.ScalarAsync("SELECT count(*) FROM worker_test_attempts WHERE job_id = @id", ("id", job.JobId)),
            n => n == 1, TimeSpan.FromSeconds(30), "the first worker to start the job");

        await first.KillAsync();
        await StartWorkerAsync("worker-survivor", ShortLease);
        var done = await Eventually.ReturnsAsync(
            () => _db.Queue.GetAsync(job.JobId), j => j!.State == JobState.Succeeded, TimeSpan.FromSeconds(60),
            "the second worker to finish the job");

        Assert.Equal(("worker-survivor", 2), (done!.LockedBy, done.Attempts));
        Assert.Contains("lease of worker-killed expired during attempt 1", done.LastError, StringComparison.Ordinal);
        Assert.Equal(1, await _db.ScalarAsync(
            "SELECT count(*) FROM worker_test_attempts WHERE job_id = @id AND attempt = 1 AND worker_id = 'worker-killed'",
            ("id", job.JobId)));
        Assert.Equal(1, await _db.ScalarAsync(
            "SELECT count(*) FROM worker_test_attempts WHERE job_id = @id AND attempt = 2 AND worker_id = 'worker-survivor'",
            ("id", job.JobId)));
    }

    [Fact]
    public async Task Two_worker_processes_never_run_one_job_twice()
    {
        const int jobs = 2000;
        await Task.WhenAll(StartWorkerAsync("worker-one", SafeLease), StartWorkerAsync("worker-two", SafeLease));

        var created = await _db.Queue.EnqueueManyAsync(
            [.. Enumerable.Range(0, jobs).Select(_ => new EnqueueRequest(RecordExecutionHandler.JobKind))]);
        await Eventually.ReturnsAsync(
            () => _db.ScalarAsync(
                "SELECT count(*) FROM jobs WHERE kind = @k AND state IN ('succeeded', 'dead')",
                ("k", RecordExecutionHandler.JobKind)),
            n => n == jobs, TimeSpan.FromSeconds(120), "every job to finish");

        Assert.Equal(jobs, created);
        Assert.Equal(jobs, await _db.ScalarAsync("SELECT count(*) FROM worker_test_executions"));
        Assert.Equal(jobs, await _db.ScalarAsync(
            "SELECT count(*) FROM jobs WHERE kind = @k AND state = 'succeeded' AND attempts = 1 AND last_error IS NULL",
            ("k", RecordExecutionHandler.JobKind)));
        Assert.Equal(0, await _db.ScalarAsync(
            "SELECT count(*) FROM jobs j LEFT JOIN worker_test_executions e ON e.job_id = j.id " +
            "WHERE j.kind = @k AND (e.job_id IS NULL OR e.worker_id <> j.locked_by)",
            ("k", RecordExecutionHandler.JobKind)));
        Assert.True(await _db.ScalarAsync("SELECT count(*) FROM worker_test_executions WHERE worker_id = 'worker-one'") > 0);
        Assert.True(await _db.ScalarAsync("SELECT count(*) FROM worker_test_executions WHERE worker_id = 'worker-two'") > 0);
    }

    [Fact]
    public async Task A_running_worker_keeps_its_health_file_fresh_for_the_container_health_check()
    {
        var file = Path.Combine(Path.GetTempPath(), "cortex-worker-health-" + Guid.NewGuid().ToString("N")[..12]);
        try
        {
            await StartWorkerAsync("worker-health", SafeLease, new Dictionary<string, string>
            {
                ["Cortex__Worker__Health__File"] = file,
                ["Cortex__Worker__Health__Interval"] = "00:00:01",
            });
            await Eventually.ReturnsAsync(() => Task.FromResult(File.Exists(file)), exists => exists, TimeSpan.FromSeconds(30), "the health file");
            var first = File.GetLastWriteTimeUtc(file);
            await Eventually.ReturnsAsync(
                () => Task.FromResult(File.GetLastWriteTimeUtc(file)), touched => touched > first, TimeSpan.FromSeconds(30), "the health file to be touched again");
        }
        finally
        {
            File.Delete(file);
        }
    }

    private async Task<WorkerProcess> StartWorkerAsync(
        string workerId, TimeSpan lease, IReadOnlyDictionary<string, string>? environment = null)
    {
        var worker = await WorkerProcess.StartAsync(workerId, database.ConnectionString, lease, environment: environment);
        lock (_workers)
        {
            _workers.Add(worker);
        }

        return worker;
    }
}
