using System.Net;
using System.Net.Http.Json;
using Cortex.CoreServer.FunctionalTests.Infrastructure;
using Cortex.Jobs;
using Npgsql;
using Xunit;

namespace Cortex.CoreServer.FunctionalTests.Search;

/// <summary>How writes become embedding jobs, and how the worker retries and dead-letters them. The worker runs per test.</summary>
public sealed class EmbeddingJobsTests(CortexApp app) : IClassFixture<CortexApp>
{
    private const string EmbedJobs = "kind = 'search.embed'";

    [Fact]
    public async Task Writes_enqueue_one_job_per_statement_with_every_id_and_unchanged_text_enqueues_nothing()
    {
        using var admin = app.AdminClient();
        await ThreadsTests.CreateSubcortexAsync(admin, "jobs-batch");
        var thread = await ThreadsTests.CreateThreadAsync(admin, "jobs-batch", "Batching", "First text.");
        Assert.Equal(1L, await app.Database.CountAsync("jobs", $"{EmbedJobs} AND payload = '{{\"entity\": \"thread\", \"ids\": [\"{thread}\"]}}'::jsonb"));

        // A burst of 2,500 observations is a few jobs carrying all the ids, not 2,500 jobs.
        await ObservationsTests.PostBatchAsync(admin, Enumerable.Range(0, 2_500).Select(i => ObservationsTests.Item($"jobs-{i}", "jobs-batch")));
        var observationJobs = $"{EmbedJobs} AND payload->>'entity' = 'observation'";
        Assert.Equal(1L, await app.Database.CountAsync("jobs", observationJobs));
        Assert.Equal(2_500L, await app.Database.ScalarAsync(
            $"SELECT sum(jsonb_array_length(payload->'ids'))::bigint FROM jobs WHERE {observationJobs}"));

        // A 1,500-row statement is split into jobs of at most 1,000 ids.
        await using (var connection = await app.Database.OpenConnectionAsync())
        await using (var burst = new NpgsqlCommand(
            $"""
            INSERT INTO threads (id, subcortex_id, title, kind, body, body_html, author_id)
            SELECT 'BURST' || lpad(g::text, 21, '0'), t.subcortex_id, 'Burst ' || g, 'discussion', 'Body ' || g, '', t.author_id
            FROM generate_series(1, 1500) g, threads t WHERE t.id = '{thread}'
            """, connection))
        {
            await burst.ExecuteNonQueryAsync();
        }

        Assert.Equal([1000L, 500L], await ListAsync<long>(
            $"SELECT jsonb_array_length(payload->'ids')::bigint FROM jobs WHERE {EmbedJobs} AND payload->'ids' ? 'BURST000000000000000000001' " +
            $"OR {EmbedJobs} AND payload->'ids' ? 'BURST000000000000000001500' ORDER BY 1 DESC"));

        // Only a change of the searchable text needs a new vector.
        var before = await app.Database.CountAsync("jobs", EmbedJobs);
        await using (var connection = await app.Database.OpenConnectionAsync())
        await using (var touch = new NpgsqlCommand($"UPDATE threads SET updated_at = now() WHERE id = '{thread}'", connection))
        {
            await touch.ExecuteNonQueryAsync();
        }

        Assert.Equal(before, await app.Database.CountAsync("jobs", EmbedJobs));
        await Expect.Status(await admin.PatchAsJsonAsync($"/api/v1/threads/{thread}", new { body = "Second text.", version = 1 }), HttpStatusCode.OK);
        Assert.Equal(before + 1, await app.Database.CountAsync("jobs", EmbedJobs));

        // Leave nothing for the worker the other tests start.
        await app.Database.ScalarAsync($"DELETE FROM jobs WHERE {EmbedJobs} OR kind LIKE 'summaries.%'");
    }

    [Fact]
    public async Task A_job_blocked_by_a_lock_fails_retries_and_then_embeds_and_a_bad_payload_is_dead_lettered()
    {
        using var admin = app.AdminClient();
        await ThreadsTests.CreateSubcortexAsync(admin, "jobs-retry");
        await using var blocker = await app.Database.OpenConnectionAsync();
        await using var hold = await blocker.BeginTransactionAsync();
        await using (var lockTable = new NpgsqlCommand("LOCK TABLE embeddings IN ACCESS EXCLUSIVE MODE", blocker, hold))
        {
            await lockTable.ExecuteNonQueryAsync();
        }

        var thread = await ThreadsTests.CreateThreadAsync(admin, "jobs-retry", "Retry me", "Embedding waits for the lock.");
        var jobId = (long)(await app.Database.ScalarAsync($"SELECT id FROM jobs WHERE {EmbedJobs} AND payload->'ids' ? '{thread}'"))!;
        using var worker = await WorkerHost.StartAsync(app.Database.ConnectionString, new Dictionary<string, string?>
        {
            ["Cortex:Worker:Embeddings:LockTimeout"] = "00:00:00.200",
            ["Cortex:Worker:RetryBaseDelay"] = "00:00:00.200",
            ["Cortex:Worker:RetryMaxDelay"] = "00:00:00.500",
        });
        try
        {
            await WorkerHost.WaitUntilAsync(
                async () => await app.Database.ScalarAsync($"SELECT last_error FROM jobs WHERE id = {jobId}") is string error
                            && error.Contains("lock timeout", StringComparison.Ordinal),
                TimeSpan.FromSeconds(60), "the first attempt to time out on the lock");
            await hold.RollbackAsync();
            await WorkerHost.WaitUntilAsync(
                async () => (string?)await app.Database.ScalarAsync($"SELECT state FROM jobs WHERE id = {jobId}") == "succeeded",
                TimeSpan.FromSeconds(60), "the retried job to succeed");
            Assert.True((int)(await app.Database.ScalarAsync($"SELECT attempts FROM jobs WHERE id = {jobId}"))! >= 2);
            Assert.Equal(1L, await app.Database.CountAsync("embeddings", $"entity = 'thread' AND entity_id = '{thread}' AND version = 1"));
            Assert.Equal(1L, await app.Database.CountAsync("changes", $"entity = 'thread' AND entity_id = '{thread}' AND operation = 'updated'"));

            await using var dataSource = NpgsqlDataSource.Create(app.Database.ConnectionString);
            var queue = new JobQueue(dataSource);
            var bad = await queue.EnqueueAsync(EnqueueRequest.Create("search.embed", new { entity = "principal", ids = new[] { "x" } }));
            await WorkerHost.WaitUntilAsync(
                async () => (await queue.GetAsync(bad.JobId))?.State == JobState.Dead, TimeSpan.FromSeconds(60), "the bad job to be dead-lettered");
            Assert.Equal(1, (await queue.GetAsync(bad.JobId))!.Attempts);
        }
        finally
        {
            await worker.StopAsync();
        }
    }

    private async Task<List<T>> ListAsync<T>(string sql)
    {
        await using var connection = await app.Database.OpenConnectionAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<T>();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetFieldValue<T>(0));
        }

        return rows;
    }
}
