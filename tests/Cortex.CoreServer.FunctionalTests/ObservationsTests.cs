using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Cortex.CoreServer.FunctionalTests.Infrastructure;
using Cortex.SharedModel.Principals;
using Xunit;

namespace Cortex.CoreServer.FunctionalTests;

public sealed class ObservationsTests(CortexApp app) : IClassFixture<CortexApp>
{
    [Fact]
    public async Task A_burst_of_50000_observations_in_batches_lands_exactly_and_a_replay_writes_nothing()
    {
        using var admin = app.AdminClient();
        await ThreadsTests.CreateSubcortexAsync(admin, "obs-burst");
        using var agentClient = app.Client((await app.CreatePrincipalAsync("obs-burst-agent", Role.Agent)).Key);
        var subcortexId = await SubcortexIdAsync(admin, "obs-burst");
        const int batches = 10;
        const int perBatch = 5_000;

        for (var b = 0; b < batches; b++)
        {
            var batch = await PostBatchAsync(agentClient, Enumerable.Range(b * perBatch, perBatch).Select(i => Item($"burst-{i}", "obs-burst")));
            Assert.Equal((perBatch, 0, 0, 0), Counts(batch));
            Assert.All(batch.GetProperty("results").EnumerateArray(), r => Assert.Equal("created", r.GetProperty("status").GetString()));
        }

        var where = $"subcortex_id = '{subcortexId}'";
        Assert.Equal(batches * perBatch, await app.Database.CountAsync("observations", where));
        Assert.Equal(batches * perBatch, await app.Database.CountAsync("changes", $"entity = 'observation' AND {where}"));
        var embedJobs = $"""
            FROM jobs j CROSS JOIN jsonb_array_elements_text(j.payload->'ids') AS e(id)
            JOIN observations o ON o.id = e.id AND o.{where} WHERE j.kind = 'search.embed' AND j.payload->>'entity' = 'observation'
            """;
        Assert.Equal((long)batches, await app.Database.ScalarAsync("SELECT count(DISTINCT j.id) " + embedJobs));
        Assert.Equal((long)(batches * perBatch), await app.Database.ScalarAsync("SELECT count(DISTINCT o.id) " + embedJobs));
        Assert.Equal(batches * perBatch, await app.Database.CountAsync(
            "observations", $"{where} AND client_id ~ '^burst-[0-9]+$' AND kind = 'test.result' AND attributes->>'n' IS NOT NULL"));

        var changesBefore = await app.Database.CountAsync("changes");
        var jobsBefore = await app.Database.CountAsync("jobs");
        var first = await PostBatchAsync(agentClient, Enumerable.Range(0, perBatch).Select(i => Item($"burst-{i}", "obs-burst")));
        var replay = await PostBatchAsync(agentClient, Enumerable.Range(0, perBatch).Select(i => Item($"burst-{i}", "obs-burst")));
        Assert.Equal((0, perBatch, 0, 0), Counts(first));
        Assert.Equal(
            first.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("id").GetString()),
            replay.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("id").GetString()));
        Assert.Equal(batches * perBatch, await app.Database.CountAsync("observations", where));
        Assert.Equal(changesBefore, await app.Database.CountAsync("changes"));
        Assert.Equal(jobsBefore, await app.Database.CountAsync("jobs"));
    }

    [Fact]
    public async Task Malformed_items_are_rejected_one_by_one_with_reasons_while_the_valid_ones_land()
    {
        using var admin = app.AdminClient();
        await ThreadsTests.CreateSubcortexAsync(admin, "obs-mixed");
        var items = new object[]
        {
            Item("mixed-ok-1", "obs-mixed"),
            new { clientId = "mixed-no-text", subcortex = "obs-mixed", kind = "k" },
            new { clientId = "mixed-bad-attrs", subcortex = "obs-mixed", kind = "k", text = "t", attributes = new[] { 1, 2 } },
            new { clientId = "mixed-bad-time", subcortex = "obs-mixed", kind = "k", text = "t", occurredAt = "yesterday" },
            new { clientId = "mixed-unknown-subcortex", subcortex = "obs-nowhere", kind = "k", text = "t" },
            new { clientId = "mixed-typo", subcortex = "obs-mixed", kind = "k", body = "t" },
            "not an object",
            new { clientId = "mixed-attachment", subcortex = "obs-mixed", kind = "k", text = "t", attachmentIds = new[] { "01J00000000000000000000000" } },
            new { clientId = "mixed-wrong-type", subcortex = "obs-mixed", kind = 7, text = "t" },
            Item("mixed-ok-2", "obs-mixed"),
            Item("mixed-ok-2", "obs-mixed"),
            Item("mixed-ok-2", "obs-mixed") with { Text = "Different content under the same client id." },
        };

        var batch = await PostBatchAsync(admin, items);
        var results = batch.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(items.Length, results.Count);
        Assert.Equal(Enumerable.Range(0, items.Length), results.Select(r => r.GetProperty("index").GetInt32()));
        Assert.Equal(
            ["created", "rejected", "rejected", "rejected", "rejected", "rejected", "rejected", "rejected", "rejected", "created", "existing", "conflict"],
            results.Select(r => r.GetProperty("status").GetString()));
        Assert.Equal((2, 1, 1, 8), Counts(batch));
        Assert.Equal(results[9].GetProperty("id").GetString(), results[10].GetProperty("id").GetString());
        Assert.Equal(results[9].GetProperty("id").GetString(), results[11].GetProperty("id").GetString());

        Assert.Equal(["text"], Fields(results[1]));
        Assert.Equal(["attributes"], Fields(results[2]));
        Assert.Equal(["occurredAt"], Fields(results[3]));
        Assert.Equal(["subcortex"], Fields(results[4]));
        Assert.Contains("obs-nowhere", Errors(results[4])[0].GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(["body", "text"], Fields(results[5]).Order());
        Assert.Equal([""], Fields(results[6]));
        Assert.Equal(["attachmentIds[0]"], Fields(results[7]));
        Assert.Equal(["kind"], Fields(results[8]));
        Assert.Equal(["clientId"], Fields(results[11]));
        Assert.All(results.Where(r => r.GetProperty("status").GetString() == "rejected"), r => Assert.Equal(JsonValueKind.Null, r.GetProperty("id").ValueKind));

        var subcortexId = await SubcortexIdAsync(admin, "obs-mixed");
        Assert.Equal(2, await app.Database.CountAsync("observations", $"subcortex_id = '{subcortexId}'"));
        await Expect.Problem(await admin.PostAsJsonAsync("/api/v1/observations/batch", new { items = Array.Empty<object>() }), HttpStatusCode.BadRequest, "validation");
        await Expect.Problem(
            await admin.PostAsJsonAsync("/api/v1/observations/batch", new { items = Enumerable.Range(0, 5_001).Select(i => Item($"x{i}", "obs-mixed")) }),
            HttpStatusCode.BadRequest,
            "validation");
    }

    [Fact]
    public async Task A_single_observation_is_created_replayed_read_and_listed_with_a_cursor()
    {
        using var admin = app.AdminClient();
        await ThreadsTests.CreateSubcortexAsync(admin, "obs-single");
        var body = new
        {
            clientId = "single-1",
            subcortex = "obs-single",
            kind = "deploy.finished",
            source = "ci/pipeline/42",
            text = "Deploy of **api** finished <script>alert(1)</script>",
            attributes = new { service = "api", durationMs = 5123, tags = new[] { "prod", "eu" } },
            occurredAt = "2026-01-01T10:00:00+02:00",
        };
        var createdResponse = await admin.PostAsJsonAsync("/api/v1/observations", body);
        var created = await Expect.Json(createdResponse, HttpStatusCode.Created);
        var id = created.GetProperty("id").GetString()!;
        Assert.Equal($"/api/v1/observations/{id}", createdResponse.Headers.Location?.ToString());
        Assert.Equal("single-1", created.GetProperty("clientId").GetString());
        Assert.Equal(app.AdminId, created.GetProperty("authorId").GetString());
        Assert.Equal(5123, created.GetProperty("attributes").GetProperty("durationMs").GetInt32());
        Assert.Equal("2026-01-01T08:00:00+00:00", created.GetProperty("occurredAt").GetDateTimeOffset().ToString("yyyy-MM-ddTHH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Contains("<strong>api</strong>", created.GetProperty("textHtml").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", created.GetProperty("textHtml").GetString(), StringComparison.Ordinal);

        var replay = await Expect.Json(await admin.PostAsJsonAsync("/api/v1/observations", body), HttpStatusCode.OK);
        Assert.Equal(created.GetRawText(), replay.GetRawText());
        var conflict = await Expect.Problem(
            await admin.PostAsJsonAsync("/api/v1/observations", body with { text = "Something else" }), HttpStatusCode.Conflict, "conflict");
        Assert.Contains("client id", conflict.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var invalid = await Expect.Problem(
            await admin.PostAsJsonAsync("/api/v1/observations", new { clientId = "single-2", subcortex = "obs-single", kind = "k" }),
            HttpStatusCode.BadRequest,
            "validation");
        Assert.True(invalid.GetProperty("errors").TryGetProperty("text", out _));
        await Expect.Problem(
            await admin.PostAsJsonAsync("/api/v1/observations", new { clientId = "single-3", subcortex = "obs-none", kind = "k", text = "t" }),
            HttpStatusCode.NotFound,
            "not-found");

        var read = await Expect.Json(await admin.GetAsync($"/api/v1/observations/{id}"), HttpStatusCode.OK);
        Assert.Equal(created.GetRawText(), read.GetRawText());
        await Expect.Problem(await admin.GetAsync("/api/v1/observations/01J00000000000000000000000"), HttpStatusCode.NotFound, "not-found");

        await PostBatchAsync(admin, Enumerable.Range(0, 4).Select(i => Item($"single-list-{i}", "obs-single")));
        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await Expect.Json(
                await admin.GetAsync("/api/v1/observations?subcortex=obs-single&limit=2" + (cursor is null ? "" : "&cursor=" + cursor)), HttpStatusCode.OK);
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(o => o.GetProperty("id").GetString()!));
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        Assert.Equal(5, seen.Count);
        Assert.Equal(seen.OrderByDescending(s => s, StringComparer.Ordinal), seen);
        Assert.Contains(id, seen);
        await Expect.Problem(await admin.GetAsync("/api/v1/observations"), HttpStatusCode.BadRequest, "validation");
    }

    [Fact]
    public async Task Readers_cannot_record_and_private_subcortexes_take_observations_only_from_members()
    {
        using var admin = app.AdminClient();
        await ThreadsTests.CreateSubcortexAsync(admin, "obs-open");
        await ThreadsTests.CreateSubcortexAsync(admin, "obs-secret", isPrivate: true);
        var reader = await app.CreatePrincipalAsync("obs-reader", Role.Reader);
        var insider = await app.CreatePrincipalAsync("obs-insider", Role.Agent);
        var outsider = await app.CreatePrincipalAsync("obs-outsider", Role.Agent);
        await Expect.Status(await admin.PutAsync($"/api/v1/subcortexes/obs-secret/members/{insider.Id}", null), HttpStatusCode.NoContent);
        using var readerClient = app.Client(reader.Key);
        using var insideClient = app.Client(insider.Key);
        using var outsideClient = app.Client(outsider.Key);

        await Expect.Problem(await readerClient.PostAsJsonAsync("/api/v1/observations", Item("r-1", "obs-open")), HttpStatusCode.Forbidden, "forbidden");
        await Expect.Problem(
            await readerClient.PostAsJsonAsync("/api/v1/observations/batch", new { items = new[] { Item("r-2", "obs-open") } }), HttpStatusCode.Forbidden, "forbidden");

        var secret = await Expect.Json(await insideClient.PostAsJsonAsync("/api/v1/observations", Item("in-1", "obs-secret")), HttpStatusCode.Created);
        await Expect.Problem(await outsideClient.PostAsJsonAsync("/api/v1/observations", Item("out-1", "obs-secret")), HttpStatusCode.Forbidden, "forbidden");
        var mixed = await PostBatchAsync(outsideClient, [Item("out-2", "obs-secret"), Item("out-3", "obs-open")]);
        Assert.Equal(["rejected", "created"], mixed.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("status").GetString()));

        var secretId = secret.GetProperty("id").GetString()!;
        await Expect.Problem(await outsideClient.GetAsync($"/api/v1/observations/{secretId}"), HttpStatusCode.Forbidden, "forbidden");
        await Expect.Problem(await outsideClient.GetAsync("/api/v1/observations?subcortex=obs-secret"), HttpStatusCode.Forbidden, "forbidden");
        await Expect.Status(await insideClient.GetAsync($"/api/v1/observations/{secretId}"), HttpStatusCode.OK);
        await Expect.Status(await admin.GetAsync($"/api/v1/observations/{secretId}"), HttpStatusCode.OK);
        await Expect.Status(await readerClient.GetAsync($"/api/v1/observations?subcortex=obs-open"), HttpStatusCode.OK);
        Assert.Equal(0, await app.Database.CountAsync("observations", "client_id LIKE 'r-%' OR client_id IN ('out-1', 'out-2')"));
    }

    [Fact]
    public async Task The_change_feed_carries_new_observations_to_those_who_may_read_them()
    {
        using var admin = app.AdminClient();
        await ThreadsTests.CreateSubcortexAsync(admin, "obs-feed");
        await ThreadsTests.CreateSubcortexAsync(admin, "obs-feed-secret", isPrivate: true);
        var outsider = await app.CreatePrincipalAsync("obs-feed-outsider", Role.Member);
        using var outsideClient = app.Client(outsider.Key);
        var start = (await Expect.Json(await admin.GetAsync("/api/v1/changes?after=0&limit=1"), HttpStatusCode.OK)).GetProperty("head").GetInt64();

        var batch = await PostBatchAsync(admin, [Item("feed-1", "obs-feed"), Item("feed-2", "obs-feed"), Item("feed-3", "obs-feed-secret")]);
        var ids = batch.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("id").GetString()!).ToList();
        await PostBatchAsync(admin, [Item("feed-1", "obs-feed")]);

        var all = await ChangesAsync(admin, start);
        Assert.Equal(ids, all.Where(c => c.Entity == "observation").Select(c => c.EntityId));
        Assert.All(all, c => Assert.Equal("created", c.Operation));
        Assert.Equal(ids[..2], (await ChangesAsync(outsideClient, start)).Where(c => c.Entity == "observation").Select(c => c.EntityId));
    }

    [Fact]
    public async Task Keyword_search_finds_observations_ranked_below_an_equally_matching_thread()
    {
        using var admin = app.AdminClient();
        await ThreadsTests.CreateSubcortexAsync(admin, "obs-search");
        var observation = await Expect.Json(
            await admin.PostAsJsonAsync(
                "/api/v1/observations",
                new { clientId = "search-1", subcortex = "obs-search", kind = "alert.fired", text = "Zookeeper quorum flapping on kafka-7" }),
            HttpStatusCode.Created);
        var thread = await ThreadsTests.CreateThreadAsync(admin, "obs-search", "Zookeeper quorum", "Zookeeper quorum flapping on kafka-7");

        var result = await Expect.Json(await admin.GetAsync("/api/v1/search?q=zookeeper%20flapping"), HttpStatusCode.OK);
        var hits = result.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal([thread, observation.GetProperty("id").GetString()], hits.Select(h => h.GetProperty("id").GetString()));
        var hit = hits[1];
        Assert.Equal("observation", hit.GetProperty("kind").GetString());
        Assert.Equal(JsonValueKind.Null, hit.GetProperty("threadId").ValueKind);
        Assert.Equal("obs-search", hit.GetProperty("subcortex").GetString());
        Assert.Contains("<mark>Zookeeper</mark>", hit.GetProperty("snippetHtml").GetString(), StringComparison.Ordinal);
    }

    internal static ObservationItem Item(string clientId, string subcortex) => new(
        clientId,
        subcortex,
        "test.result",
        "ci/runner-3",
        $"Test run {clientId} passed in **{clientId.Length * 10} ms**",
        new Dictionary<string, object> { ["n"] = clientId, ["ok"] = true },
        "2026-01-01T00:00:00Z");

    internal static async Task<JsonElement> PostBatchAsync(HttpClient client, IEnumerable<object> items) =>
        await Expect.Json(await client.PostAsJsonAsync("/api/v1/observations/batch", new { items }), HttpStatusCode.OK);

    private static (int Created, int Existing, int Conflicts, int Rejected) Counts(JsonElement batch) => (
        batch.GetProperty("created").GetInt32(),
        batch.GetProperty("existing").GetInt32(),
        batch.GetProperty("conflicts").GetInt32(),
        batch.GetProperty("rejected").GetInt32());

    private static List<JsonElement> Errors(JsonElement result) => [.. result.GetProperty("errors").EnumerateArray()];

    private static List<string> Fields(JsonElement result) => [.. Errors(result).Select(e => e.GetProperty("field").GetString()!)];

    private static async Task<string> SubcortexIdAsync(HttpClient client, string slug) =>
        (await Expect.Json(await client.GetAsync($"/api/v1/subcortexes/{slug}"), HttpStatusCode.OK)).GetProperty("id").GetString()!;

    private static async Task<List<(string Entity, string EntityId, string Operation)>> ChangesAsync(HttpClient client, long after)
    {
        var page = await Expect.Json(await client.GetAsync($"/api/v1/changes?after={after}&limit=1000"), HttpStatusCode.OK);
        return [.. page.GetProperty("changes").EnumerateArray().Select(c => (
            c.GetProperty("entity").GetString()!, c.GetProperty("entityId").GetString()!, c.GetProperty("operation").GetString()!))];
    }

    /// <summary>An item of the batch body, as a client sends it.</summary>
    internal sealed record ObservationItem(
        string ClientId, string Subcortex, string Kind, string Source, string Text, Dictionary<string, object> Attributes, string OccurredAt);
}
