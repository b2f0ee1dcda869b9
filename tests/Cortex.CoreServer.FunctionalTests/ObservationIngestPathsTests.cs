using System.Net;
using Cortex.CoreServer.FunctionalTests.Infrastructure;
using Cortex.CoreServer.Observations;
using Cortex.SharedModel.Principals;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit;
using static Cortex.CoreServer.FunctionalTests.ObservationsTests;

namespace Cortex.CoreServer.FunctionalTests;

/// <summary>
/// The paths of the faster batch ingestion (DECISIONS.md 2026-11-27): the direct COPY and its fall-back when a client id
/// is taken, and full-text vectors filled in after the write. The background indexer is off here, so a test sees
/// observations exactly as written and runs the indexer itself.
/// </summary>
public sealed class ObservationIngestPathsTests(UnindexedObservationsApp app) : IClassFixture<UnindexedObservationsApp>
{
    [Fact]
    public async Task Keyword_search_finds_observations_before_their_vector_is_filled_in_and_once_after()
    {
        using var admin = app.AdminClient();
        await ThreadsTests.CreateSubcortexAsync(admin, "obs-unindexed");
        var subcortexId = await SubcortexIdAsync(admin, "obs-unindexed");
        var batch = await PostBatchAsync(admin, Enumerable.Range(0, 3).Select(i => Item($"quokka-{i}", "obs-unindexed") with
        {
            Text = $"Quokka sighting number {i} near the loading dock",
        }));
        var ids = batch.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("id").GetString()!).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(3, await app.Database.CountAsync("observations", $"subcortex_id = '{subcortexId}' AND search IS NULL"));

        Assert.Equal(ids, await KeywordHitsAsync(admin, "quokka sighting"));

        var jobs = await app.Database.CountAsync("jobs");
        Assert.True(await app.Services.GetRequiredService<ObservationSearchIndexer>().IndexPendingAsync() >= 3);
        Assert.Equal(0, await app.Database.CountAsync("observations", "search IS NULL"));
        Assert.Equal(3, await app.Database.CountAsync(
            "observations", $"subcortex_id = '{subcortexId}' AND search = to_tsvector('english', kind || ' ' || body)"));
        Assert.Equal(ids, await KeywordHitsAsync(admin, "quokka sighting"));
        Assert.Equal(jobs, await app.Database.CountAsync("jobs"));
    }

    [Fact]
    public async Task Writing_an_observations_text_computes_its_vector_at_once_and_a_changed_text_is_embedded_again()
    {
        using var admin = app.AdminClient();
        await ThreadsTests.CreateSubcortexAsync(admin, "obs-rewrite");
        var batch = await PostBatchAsync(admin, [Item("rewrite-1", "obs-rewrite"), Item("rewrite-2", "obs-rewrite")]);
        var ids = batch.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("id").GetString()!).ToList();
        var jobs = await app.Database.CountAsync("jobs");

        // The admin reindex rewrites rows with "SET body = body": same text, vector computed, nothing to re-embed.
        await ExecuteAsync($"UPDATE observations SET body = body WHERE id = '{ids[0]}'");
        await ExecuteAsync($"UPDATE observations SET body = 'Platypus spotted in the server room' WHERE id = '{ids[1]}'");

        Assert.Equal(1, await app.Database.CountAsync("observations", $"id = '{ids[0]}' AND search @@ to_tsquery('english', 'rewrite')"));
        Assert.Equal(1, await app.Database.CountAsync("observations", $"id = '{ids[1]}' AND search @@ to_tsquery('english', 'platypus')"));
        Assert.Equal(jobs + 1, await app.Database.CountAsync("jobs"));
        Assert.Equal(1, await app.Database.CountAsync(
            "jobs", $"kind = 'search.embed' AND payload->>'entity' = 'observation' AND payload->'ids' = '[\"{ids[1]}\"]'::jsonb"));
    }

    [Fact]
    public async Task A_batch_mixing_new_replayed_and_conflicting_items_undoes_its_copy_and_writes_each_new_item_once()
    {
        using var admin = app.AdminClient();
        await ThreadsTests.CreateSubcortexAsync(admin, "obs-mixed-replay");
        var subcortexId = await SubcortexIdAsync(admin, "obs-mixed-replay");
        var first = await PostBatchAsync(admin, [Item("mr-a", "obs-mixed-replay"), Item("mr-b", "obs-mixed-replay")]);
        var firstIds = first.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("id").GetString()!).ToList();

        var second = await PostBatchAsync(admin, [
            Item("mr-b", "obs-mixed-replay"),
            Item("mr-c", "obs-mixed-replay"),
            Item("mr-a", "obs-mixed-replay") with { Text = "Other content under a taken client id." },
        ]);

        var results = second.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(["existing", "created", "conflict"], results.Select(r => r.GetProperty("status").GetString()));
        Assert.Equal(firstIds[1], results[0].GetProperty("id").GetString());
        Assert.Equal(firstIds[0], results[2].GetProperty("id").GetString());
        var created = results[1].GetProperty("id").GetString();
        Assert.Equal(3, await app.Database.CountAsync("observations", $"subcortex_id = '{subcortexId}'"));
        Assert.Equal(1, await app.Database.CountAsync("observations", $"id = '{created}' AND client_id = 'mr-c'"));
        Assert.Equal(3, await app.Database.CountAsync("changes", $"entity = 'observation' AND subcortex_id = '{subcortexId}'"));
    }

    [Fact]
    public async Task A_client_id_taken_by_a_concurrent_write_while_the_batch_is_copied_is_answered_as_a_conflict()
    {
        var agent = await app.CreatePrincipalAsync("obs-race-agent", Role.Agent);
        using var admin = app.AdminClient();
        using var agentClient = app.Client(agent.Key);
        await ThreadsTests.CreateSubcortexAsync(admin, "obs-race");
        var subcortexId = await SubcortexIdAsync(admin, "obs-race");

        // Another writer holds client id race-1 uncommitted: the batch's COPY waits for it, then meets its unique key.
        await using var other = await app.Database.OpenConnectionAsync();
        await using var transaction = await other.BeginTransactionAsync();
        await using (var insert = new NpgsqlCommand(
            """
            INSERT INTO observations (id, subcortex_id, author_id, client_id, content_hash, kind, body, occurred_at)
            VALUES ('01JRACE00000000000000000AA', @subcortexId, @authorId, 'race-1', '\x00', 'k', 'first writer', now())
            """,
            other,
            transaction))
        {
            insert.Parameters.AddWithValue("subcortexId", subcortexId);
            insert.Parameters.AddWithValue("authorId", agent.Id);
            await insert.ExecuteNonQueryAsync();
        }

        var posting = PostBatchAsync(agentClient, [Item("race-0", "obs-race"), Item("race-1", "obs-race"), Item("race-2", "obs-race")]);
        await app.Database.WaitForLockWaitersAsync(1, TimeSpan.FromSeconds(30));
        await transaction.CommitAsync();
        var batch = await posting;

        var results = batch.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(["created", "conflict", "created"], results.Select(r => r.GetProperty("status").GetString()));
        Assert.Equal("01JRACE00000000000000000AA", results[1].GetProperty("id").GetString());
        Assert.Equal(3, await app.Database.CountAsync("observations", $"subcortex_id = '{subcortexId}'"));
        Assert.Equal(2, await app.Database.CountAsync("changes", $"entity = 'observation' AND subcortex_id = '{subcortexId}'"));
    }

    [Theory]
    [InlineData("{\"items\":[", "application/json", HttpStatusCode.BadRequest, "malformed-request")]
    [InlineData("", "application/json", HttpStatusCode.BadRequest, "malformed-request")]
    [InlineData("{\"items\":[]}", "application/json", HttpStatusCode.BadRequest, "validation")]
    [InlineData("{\"items\":[]}", "text/plain", HttpStatusCode.UnsupportedMediaType, "unsupported-media-type")]
    public async Task A_batch_body_that_is_not_a_json_batch_is_a_problem_and_writes_nothing(
        string body, string contentType, HttpStatusCode status, string type)
    {
        using var admin = app.AdminClient();
        var changes = await app.Database.CountAsync("changes");
        using var content = new StringContent(body, System.Text.Encoding.UTF8, contentType);
        await Expect.Problem(await admin.PostAsync("/api/v1/observations/batch", content), status, type);
        Assert.Equal(changes, await app.Database.CountAsync("changes"));
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = await app.Database.OpenConnectionAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<List<string>> KeywordHitsAsync(HttpClient client, string query)
    {
        var result = await Expect.Json(
            await client.GetAsync($"/api/v1/search?q={Uri.EscapeDataString(query)}&mode=keyword"), HttpStatusCode.OK);
        return [.. result.GetProperty("items").EnumerateArray().Select(h => h.GetProperty("id").GetString()!).Order(StringComparer.Ordinal)];
    }

    private static async Task<string> SubcortexIdAsync(HttpClient client, string slug) =>
        (await Expect.Json(await client.GetAsync($"/api/v1/subcortexes/{slug}"), HttpStatusCode.OK)).GetProperty("id").GetString()!;
}

/// <summary>An app whose observations keep search NULL until a test runs <see cref="ObservationSearchIndexer"/>.</summary>
public sealed class UnindexedObservationsApp : CortexApp
{
    protected override void Configure(IDictionary<string, string?> settings) =>
        settings["Cortex:Observations:IndexSearchInBackground"] = "false";
}
