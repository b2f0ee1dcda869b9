using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Cortex.CoreServer.FunctionalTests.Infrastructure;
using Cortex.SharedModel.Principals;
using Xunit;

namespace Cortex.CoreServer.FunctionalTests.Search;

/// <summary>Semantic and hybrid search through the real worker (MiniLM embeddings, pgvector HNSW) and the real server.</summary>
public sealed class SemanticSearchTests(SearchWorkerApp app) : IClassFixture<SearchWorkerApp>
{
    [Fact]
    public async Task Semantic_search_finds_a_paraphrase_that_keyword_search_misses()
    {
        using var admin = app.AdminClient();
        await ThreadsTests.CreateSubcortexAsync(admin, "sem-ops");
        var disk = await ThreadsTests.CreateThreadAsync(admin, "sem-ops", "Disk full on the build server",
            "The CI machine ran out of storage because old build artifacts were never deleted; a nightly cleanup job now removes them.");
        var pool = await ThreadsTests.CreateThreadAsync(admin, "sem-ops", "Postgres connection limit",
            "New clients were refused once max_connections was reached; PgBouncer in transaction mode fixed it.");
        var login = await ThreadsTests.CreateThreadAsync(admin, "sem-ops", "Flaky login test",
            "The browser test for sign-in fails now and then because it does not wait for the redirect.");
        await app.WaitForEmbeddingsAsync(disk, pool, login);

        const string paraphrase = "q=no%20space%20left%20on%20the%20computer%20for%20files&subcortex=sem-ops";
        var keyword = await SearchAsync(admin, paraphrase + "&mode=keyword");
        Assert.Empty(keyword);
        var semantic = await SearchAsync(admin, paraphrase + "&mode=semantic");
        Assert.Equal(disk, semantic[0].GetProperty("id").GetString());
        Assert.Equal("reviewed", semantic[0].GetProperty("trust").GetString());
        var hybrid = await SearchAsync(admin, paraphrase + "&mode=hybrid");
        Assert.Equal(disk, hybrid[0].GetProperty("id").GetString());

        // An exact identifier still pins its answer in hybrid mode.
        var identifier = await SearchAsync(admin, "q=max_connections&subcortex=sem-ops&mode=hybrid");
        Assert.Equal(pool, identifier[0].GetProperty("id").GetString());
    }

    [Fact]
    public async Task Hybrid_search_ranks_canon_first_over_a_near_duplicate_observation()
    {
        using var admin = app.AdminClient();
        await ThreadsTests.CreateSubcortexAsync(admin, "sem-canon");
        var reviewer = await app.CreatePrincipalAsync("sem-canon-reviewer", Role.Reviewer);
        using var reviewerClient = app.Client(reviewer.Key);
        var artifact = await ArtifactsTests.CreateArtifactAsync(admin, "sem-canon", "Restarting the payment queue", "runbook");
        var version = await Expect.Json(await admin.PostAsJsonAsync($"/api/v1/artifacts/{artifact}/versions", new
        {
            body = "When the payment queue stalls, drain the dead-letter topic, then restart the consumer pods one at a time.",
            evidence = new[] { new { kind = "url", target = "https://runbooks.example.com/payments" } },
        }), HttpStatusCode.Created);
        await Expect.Status(
            await reviewerClient.PostAsync($"/api/v1/artifacts/{artifact}/versions/{version.GetProperty("number").GetInt32()}/accept", null),
            HttpStatusCode.OK);
        var observation = await Expect.Json(await admin.PostAsJsonAsync("/api/v1/observations", new
        {
            clientId = "sem-dup-1",
            subcortex = "sem-canon",
            kind = "incident.note",
            source = "oncall",
            text = "Payment queue stalled again; we drained the dead-letter topic and restarted the consumer pods one at a time.",
            attributes = new { },
            occurredAt = "2026-11-01T10:00:00Z",
        }), HttpStatusCode.Created);
        var observationId = observation.GetProperty("id").GetString()!;
        await app.WaitForEmbeddingsAsync(artifact, observationId);

        var hits = await SearchAsync(admin, "q=payment%20queue%20stalled%20restarted%20consumer%20pods&subcortex=sem-canon&mode=hybrid");
        Assert.Equal(("artifact", artifact, "canon"), Identify(hits[0]));
        Assert.Equal(("observation", observationId, "observation"), Identify(hits[1]));
        Assert.True(hits[0].GetProperty("rank").GetDouble() >= hits[1].GetProperty("rank").GetDouble());
        Assert.Contains("<mark>", hits[0].GetProperty("snippetHtml").GetString(), StringComparison.Ordinal);

        var canonOnly = await SearchAsync(admin, "q=payment%20queue&subcortex=sem-canon&mode=hybrid&trust=canon");
        Assert.Equal([artifact], canonOnly.Select(h => h.GetProperty("id").GetString()));
        var observationsOnly = await SearchAsync(admin, "q=payment%20queue&subcortex=sem-canon&mode=semantic&kind=observation");
        Assert.Equal([observationId], observationsOnly.Select(h => h.GetProperty("id").GetString()));
        var future = await SearchAsync(admin, "q=payment%20queue&subcortex=sem-canon&mode=hybrid&updatedFrom=2099-01-01T00:00:00Z");
        Assert.Empty(future);
    }

    [Fact]
    public async Task Approved_drafts_rank_as_accepted_and_bad_filters_are_refused()
    {
        using var admin = app.AdminClient();
        await ThreadsTests.CreateSubcortexAsync(admin, "sem-accepted");
        var agent = await app.CreatePrincipalAsync("sem-agent", Role.Agent);
        using var agentClient = app.Client(agent.Key);
        var draft = await Expect.Json(await agentClient.PostAsJsonAsync("/api/v1/subcortexes/sem-accepted/threads",
            new { title = "Rotating TLS certificates", body = "Certificates are renewed by cert-manager thirty days before expiry.", kind = "decision" }),
            HttpStatusCode.Accepted);
        var approved = await Expect.Json(
            await admin.PostAsync($"/api/v1/drafts/{draft.GetProperty("id").GetString()}/approve", null), HttpStatusCode.OK);
        var thread = approved.GetProperty("materializedId").GetString()!;
        await app.WaitForEmbeddingsAsync(thread);

        var hits = await SearchAsync(admin, "q=when%20do%20certificates%20get%20renewed&subcortex=sem-accepted&mode=hybrid");
        Assert.Equal((thread, "accepted"), (hits[0].GetProperty("id").GetString(), hits[0].GetProperty("trust").GetString()));

        await Expect.Problem(await admin.GetAsync("/api/v1/search?q=x&mode=hybrid&kind=task"), HttpStatusCode.BadRequest, "validation");
        await Expect.Problem(await admin.GetAsync("/api/v1/search?q=x&mode=hybrid&trust=gospel"), HttpStatusCode.BadRequest, "validation");
        await Expect.Problem(await admin.GetAsync(
            "/api/v1/search?q=x&updatedFrom=2026-02-01T00:00:00Z&updatedTo=2026-01-01T00:00:00Z"), HttpStatusCode.BadRequest, "validation");
    }

    internal static async Task<List<JsonElement>> SearchAsync(HttpClient client, string query)
    {
        var result = await Expect.Json(await client.GetAsync("/api/v1/search?" + query), HttpStatusCode.OK);
        return [.. result.GetProperty("items").EnumerateArray()];
    }

    private static (string?, string?, string?) Identify(JsonElement hit) =>
        (hit.GetProperty("kind").GetString(), hit.GetProperty("id").GetString(), hit.GetProperty("trust").GetString());
}
