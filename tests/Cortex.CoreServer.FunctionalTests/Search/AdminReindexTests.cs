using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Cortex.CoreServer.FunctionalTests.Infrastructure;
using Cortex.SharedModel.Principals;
using Npgsql;
using Xunit;

namespace Cortex.CoreServer.FunctionalTests.Search;

/// <summary>POST /admin/reindex and /admin/rebuild-summaries through the real server and the real worker.</summary>
public sealed class AdminReindexTests(CortexApp app) : IClassFixture<CortexApp>
{
    private static readonly Dictionary<string, string?> SmallChunks = new() { ["Cortex:Worker:Embeddings:ReindexChunkSize"] = "5" };

    [Fact]
    public async Task Reindexing_one_subcortex_resumes_after_the_worker_dies_reports_progress_and_is_audited()
    {
        using var admin = app.AdminClient();
        await ThreadsTests.CreateSubcortexAsync(admin, "rx-a");
        await ThreadsTests.CreateSubcortexAsync(admin, "rx-b");
        var inA = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            inA.Add(await ThreadsTests.CreateThreadAsync(admin, "rx-a", $"Alpha note {i}", $"Alpha subject number {i}."));
        }

        var inB = new[]
        {
            await ThreadsTests.CreateThreadAsync(admin, "rx-b", "Beta one", "Beta body."),
            await ThreadsTests.CreateThreadAsync(admin, "rx-b", "Beta two", "Beta body again."),
        };
        var worker = await WorkerHost.StartAsync(app.Database.ConnectionString, SmallChunks);
        try
        {
            await WaitForEmbeddingsAsync([.. inA, .. inB]);
            var member = await app.CreatePrincipalAsync("rx-member", Role.Member);
            using var memberClient = app.Client(member.Key);
            await Expect.Problem(await memberClient.PostAsJsonAsync("/admin/reindex", new { subcortex = "rx-a" }), HttpStatusCode.Forbidden, "forbidden");
            await Expect.Problem(await admin.PostAsJsonAsync("/admin/reindex", new { targets = new[] { "everything" } }), HttpStatusCode.BadRequest, "validation");
            await Expect.Problem(await admin.PostAsJsonAsync("/admin/reindex", new { subcortex = "rx-nowhere" }), HttpStatusCode.NotFound, "not-found");
            var startedAt = (DateTime)(await app.Database.ScalarAsync("SELECT now()"))!;

            // The second chunk (items 6–10) waits on a row we hold, so the worker dies mid-run with one chunk committed.
            var blocked = inA.Order(StringComparer.Ordinal).ElementAt(7);
            await using var blocker = await app.Database.OpenConnectionAsync();
            await using var hold = await blocker.BeginTransactionAsync();
            await using (var lockRow = new NpgsqlCommand(
                $"SELECT 1 FROM embeddings WHERE entity = 'thread' AND entity_id = '{blocked}' FOR UPDATE", blocker, hold))
            {
                await lockRow.ExecuteNonQueryAsync();
            }

            var accepted = await admin.PostAsJsonAsync("/admin/reindex", new { subcortex = "rx-a", targets = new[] { "embeddings" } });
            var run = await Expect.Json(accepted, HttpStatusCode.Accepted);
            var location = accepted.Headers.Location!.ToString();
            Assert.Equal("queued", run.GetProperty("state").GetString());
            await WorkerHost.WaitUntilAsync(
                async () => (await ProgressAsync(admin, location)).GetProperty("processed").GetInt64() == 5, TimeSpan.FromSeconds(60), "the first chunk");
            await app.Database.WaitForLockWaitersAsync(1, TimeSpan.FromSeconds(60));
            await worker.StopAsync();
            worker.Dispose();
            await hold.RollbackAsync();

            var interrupted = await ProgressAsync(admin, location);
            Assert.Equal(("running", "embeddings", 5L, 12L, 1), Summary(interrupted));
            await Expect.Problem(await memberClient.GetAsync(location), HttpStatusCode.Forbidden, "forbidden");

            worker = await WorkerHost.StartAsync(app.Database.ConnectionString, SmallChunks);
            await WorkerHost.WaitUntilAsync(
                async () => (await ProgressAsync(admin, location)).GetProperty("state").GetString() == "succeeded", TimeSpan.FromSeconds(60), "the resumed run");
            var finished = await ProgressAsync(admin, location);
            Assert.Equal(("succeeded", "embeddings", 12L, 12L, 2), Summary(finished));
            Assert.Equal(12L, await app.Database.CountAsync("embeddings", $"subcortex_id = (SELECT id FROM subcortexes WHERE slug = 'rx-a') AND updated_at >= '{startedAt:O}'"));
            Assert.Equal(0L, await app.Database.CountAsync("embeddings", $"subcortex_id = (SELECT id FROM subcortexes WHERE slug = 'rx-b') AND updated_at >= '{startedAt:O}'"));
            Assert.Equal(1L, await app.Database.CountAsync("audit_events",
                $"action = 'admin.reindex' AND target_id = '{run.GetProperty("id").GetString()}' AND principal_id = '{app.AdminId}'"));
        }
        finally
        {
            await worker.StopAsync();
            worker.Dispose();
        }
    }

    [Fact]
    public async Task A_full_reindex_rebuilds_every_index_and_summaries_are_rebuilt_on_request()
    {
        using var admin = app.AdminClient();
        await ThreadsTests.CreateSubcortexAsync(admin, "rx-all");
        var thread = await ThreadsTests.CreateThreadAsync(admin, "rx-all", "Cache stampede",
            "The cache expired for every key at once. The database saw ten times its usual load. " +
            "We added jitter to the cache expiry. The load stayed normal afterwards.");
        await Expect.Status(await admin.PostAsJsonAsync($"/api/v1/threads/{thread}/comments",
            new { body = "Jitter on the cache expiry is now the default in the shared cache library." }), HttpStatusCode.Created);
        using var worker = await WorkerHost.StartAsync(app.Database.ConnectionString);
        try
        {
            var accepted = await admin.PostAsJsonAsync("/admin/reindex", new { });
            var location = accepted.Headers.Location!.ToString();
            await Expect.Status(accepted, HttpStatusCode.Accepted);
            await WorkerHost.WaitUntilAsync(
                async () => (await ProgressAsync(admin, location)).GetProperty("state").GetString() == "succeeded", TimeSpan.FromSeconds(120), "the full reindex");
            Assert.Equal(("succeeded", "fulltext-index", 4L, 4L, 1), Summary(await ProgressAsync(admin, location)));
            Assert.Equal(true, await app.Database.ScalarAsync("SELECT indisvalid FROM pg_index WHERE indexrelid = 'embeddings_hnsw'::regclass"));
            Assert.Equal(0L, await app.Database.CountAsync("pg_class", "relname LIKE '%_ccnew%'"));
            Assert.Contains(thread, (await SemanticSearchTests.SearchAsync(admin, "q=cache%20expiry%20jitter&mode=hybrid&subcortex=rx-all"))
                .Select(h => h.GetProperty("id").GetString()));

            var fullText = await admin.PostAsJsonAsync("/admin/reindex", new { subcortex = "rx-all", targets = new[] { "fulltext" } });
            var fullTextLocation = fullText.Headers.Location!.ToString();
            await WorkerHost.WaitUntilAsync(
                async () => (await ProgressAsync(admin, fullTextLocation)).GetProperty("state").GetString() == "succeeded", TimeSpan.FromSeconds(60), "the full-text rewrite");
            Assert.Equal(("succeeded", "fulltext", 2L, 2L, 1), Summary(await ProgressAsync(admin, fullTextLocation)));

            // Summaries: gone (e.g. after a restore), rebuilt on request, served on the thread and the subcortex.
            // Counted for rx-all only: delayed summary jobs from other tests in this class may still land elsewhere.
            await app.Database.ScalarAsync("DELETE FROM thread_summaries; DELETE FROM subcortex_digests");
            const string InRxAll = "(SELECT id FROM subcortexes WHERE slug = 'rx-all')";
            var member = await app.CreatePrincipalAsync("rx-summary-member", Role.Member);
            using var memberClient = app.Client(member.Key);
            await Expect.Problem(await memberClient.PostAsJsonAsync("/admin/rebuild-summaries", new { }), HttpStatusCode.Forbidden, "forbidden");
            var rebuilt = await Expect.Json(await admin.PostAsJsonAsync("/admin/rebuild-summaries", new { subcortex = "rx-all" }), HttpStatusCode.Accepted);
            Assert.Equal(2, rebuilt.GetProperty("queuedJobs").GetInt32());
            await WorkerHost.WaitUntilAsync(
                async () => await app.Database.CountAsync("subcortex_digests", $"subcortex_id = {InRxAll}") == 1
                    && await app.Database.CountAsync("thread_summaries", $"thread_id IN (SELECT id FROM threads WHERE subcortex_id = {InRxAll})") == 1,
                TimeSpan.FromSeconds(60), "the rebuilt summaries");
            var summary = await Expect.Json(await memberClient.GetAsync($"/api/v1/threads/{thread}/summary"), HttpStatusCode.OK);
            Assert.Equal(3, summary.GetProperty("sentences").GetInt32());
            Assert.Equal(1, summary.GetProperty("commentCount").GetInt32());
            Assert.StartsWith("The cache expired for every key at once.", summary.GetProperty("summary").GetString(), StringComparison.Ordinal);
            var digest = await Expect.Json(await memberClient.GetAsync("/api/v1/subcortexes/rx-all/digest"), HttpStatusCode.OK);
            Assert.Equal(1, digest.GetProperty("digest").GetProperty("threads").GetInt32());
            Assert.Equal(thread, digest.GetProperty("digest").GetProperty("latestThreads")[0].GetProperty("id").GetString());
            Assert.Equal(1L, await app.Database.CountAsync("audit_events", "action = 'admin.rebuild-summaries'"));
        }
        finally
        {
            await worker.StopAsync();
        }
    }

    private static async Task<JsonElement> ProgressAsync(HttpClient admin, string location) =>
        await Expect.Json(await admin.GetAsync(location), HttpStatusCode.OK);

    private static (string?, string?, long, long, int) Summary(JsonElement run) => (
        run.GetProperty("state").GetString(), run.GetProperty("phase").GetString(), run.GetProperty("processed").GetInt64(),
        run.GetProperty("total").GetInt64(), run.GetProperty("attempts").GetInt32());

    private Task WaitForEmbeddingsAsync(string[] ids) => WorkerHost.WaitUntilAsync(
        async () => await app.Database.CountAsync("embeddings", $"entity_id IN ({string.Join(",", ids.Select(id => $"'{id}'"))})") == ids.Length,
        TimeSpan.FromSeconds(120), "the initial embeddings");
}
