using Cortex.Jobs;
using Cortex.ScaleOut.Tests.Infrastructure;
using Cortex.Worker.TestHandlers;
using Npgsql;

namespace Cortex.ScaleOut.Tests;

/// <summary>A pool of two cortex-worker processes on the cluster's database takes every job exactly once.</summary>
[Collection(ScaleOutCluster.Collection)]
public sealed class WorkerPoolTests(ScaleOutCluster cluster)
{
    private const int Jobs = 300;

    [Fact]
    public async Task Two_worker_processes_never_run_one_job_twice()
    {
        await cluster.Database.ExecuteAsync(TestHandlerTables.Sql);
        Task<ChildProcess>[] workers = [cluster.StartWorkerAsync("pool-one", testHandlers: true), cluster.StartWorkerAsync("pool-two", testHandlers: true)];
        try
        {
            await Task.WhenAll(workers);
            await using var dataSource = NpgsqlDataSource.Create(cluster.Database.ConnectionString);
            var queue = new JobQueue(dataSource);
            Assert.Equal(Jobs, await queue.EnqueueManyAsync(
                [.. Enumerable.Range(0, Jobs).Select(_ => new EnqueueRequest(RecordExecutionHandler.JobKind))]));
            await Eventually.TrueAsync(
                async () => await cluster.Database.ScalarAsync<long>(
                    $"SELECT count(*) FROM jobs WHERE kind = '{RecordExecutionHandler.JobKind}' AND state IN ('succeeded', 'dead')") == Jobs,
                "every job to finish",
                TimeSpan.FromSeconds(90));

            // worker_test_executions' primary key turns a second run of a job into a failed attempt, so a job that
            // ran twice shows as attempts > 1 or a last error; every job must have exactly one execution row.
            Assert.Equal(Jobs, await cluster.Database.ScalarAsync<long>("SELECT count(*) FROM worker_test_executions"));
            Assert.Equal(Jobs, await cluster.Database.ScalarAsync<long>(
                $"SELECT count(*) FROM jobs WHERE kind = '{RecordExecutionHandler.JobKind}' AND state = 'succeeded' AND attempts = 1 AND last_error IS NULL"));

            // Both processes took part, so the absence of a second run is the queue's doing, not one idle worker.
            Assert.Equal(2L, await cluster.Database.ScalarAsync<long>(
                "SELECT count(DISTINCT worker_id) FROM worker_test_executions WHERE worker_id IN ('pool-one', 'pool-two')"));
        }
        finally
        {
            foreach (var worker in workers.Where(w => w.IsCompletedSuccessfully))
            {
                await (await worker).DisposeAsync();
            }
        }
    }

}
