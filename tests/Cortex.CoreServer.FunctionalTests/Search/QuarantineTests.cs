using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Cortex.CoreServer.Feed;
using Cortex.CoreServer.FunctionalTests.Infrastructure;
using Cortex.CoreServer.Principals;
using Cortex.CoreServer.Sync;
using Cortex.SharedModel.Principals;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Cortex.CoreServer.FunctionalTests.Search;

public sealed class QuarantineTests(SearchWorkerApp app) : IClassFixture<SearchWorkerApp>
{
    [Fact]
    public async Task A_quarantined_thread_leaves_search_the_feed_and_a_replica_bootstrap_and_returns_when_lifted()
    {
        using var admin = app.AdminClient();
        await ThreadsTests.CreateSubcortexAsync(admin, "quar");
        var thread = await ThreadsTests.CreateThreadAsync(admin, "quar", "Staging password in the wiki",
            "Someone pasted the zebrafish staging password into a wiki page; rotate it.");
        var other = await ThreadsTests.CreateThreadAsync(admin, "quar", "Zebrafish tank schedule", "The zebrafish tanks are cleaned on Mondays.");
        await app.WaitForEmbeddingsAsync(thread, other);
        var reviewer = await app.CreatePrincipalAsync("quar-reviewer", Role.Reviewer);
        var member = await app.CreatePrincipalAsync("quar-member", Role.Member);
        using var reviewerClient = app.Client(reviewer.Key);
        using var memberClient = app.Client(member.Key);
        var request = new { entity = "thread", entityId = thread, reason = "Contains a credential." };

        await Expect.Problem(await memberClient.PostAsJsonAsync("/api/v1/quarantine", request), HttpStatusCode.Forbidden, "forbidden");
        var created = await Expect.Json(await reviewerClient.PostAsJsonAsync("/api/v1/quarantine", request), HttpStatusCode.Created);
        var quarantineId = created.GetProperty("id").GetString()!;
        Assert.True(created.GetProperty("active").GetBoolean());
        await Expect.Problem(await reviewerClient.PostAsJsonAsync("/api/v1/quarantine", request), HttpStatusCode.Conflict, "conflict");

        foreach (var mode in new[] { "keyword", "semantic", "hybrid" })
        {
            var hits = await SemanticSearchTests.SearchAsync(admin, $"q=zebrafish&subcortex=quar&mode={mode}");
            Assert.DoesNotContain(thread, hits.Select(h => h.GetProperty("id").GetString()));
            Assert.Contains(other, hits.Select(h => h.GetProperty("id").GetString()));
        }

        var feed = await FeedOfAsync(admin, thread);
        Assert.Equal(["deleted"], feed.Select(c => c.GetProperty("operation").GetString()));
        var bootstrap = await BootstrapAsync(thread);
        Assert.Equal([SyncProtocol.ChangeOperation.Delete], bootstrap.Select(c => c.Operation));

        var listed = await Expect.Json(await admin.GetAsync("/api/v1/quarantine"), HttpStatusCode.OK);
        Assert.Contains(quarantineId, listed.GetProperty("items").EnumerateArray().Select(q => q.GetProperty("id").GetString()));
        await Expect.Problem(await memberClient.GetAsync("/api/v1/quarantine"), HttpStatusCode.Forbidden, "forbidden");

        var lifted = await Expect.Json(
            await reviewerClient.PostAsJsonAsync($"/api/v1/quarantine/{quarantineId}/lift", new { reason = "Password rotated." }), HttpStatusCode.OK);
        Assert.False(lifted.GetProperty("active").GetBoolean());
        foreach (var mode in new[] { "keyword", "semantic", "hybrid" })
        {
            var hits = await SemanticSearchTests.SearchAsync(admin, $"q=zebrafish&subcortex=quar&mode={mode}");
            Assert.Contains(thread, hits.Select(h => h.GetProperty("id").GetString()));
        }

        var feedAfter = await FeedOfAsync(admin, thread);
        Assert.Equal("updated", feedAfter[^1].GetProperty("operation").GetString());
        var bootstrapAfter = await BootstrapAsync(thread);
        Assert.Equal(SyncProtocol.ChangeOperation.Upsert, bootstrapAfter[^1].Operation);
        Assert.Equal(384, bootstrapAfter[^1].EmbeddingVector()?.Length);
        Assert.Equal(1L, await app.Database.CountAsync("audit_events",
            $"action = 'quarantine.create' AND target_id = '{thread}' AND principal_id = '{reviewer.Id}' AND detail LIKE '%credential%'"));
        Assert.Equal(1L, await app.Database.CountAsync("audit_events", $"action = 'quarantine.lift' AND target_id = '{thread}'"));
        var history = await Expect.Json(await admin.GetAsync("/api/v1/quarantine?active=false"), HttpStatusCode.OK);
        Assert.Contains(quarantineId, history.GetProperty("items").EnumerateArray().Select(q => q.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task Quarantined_observations_and_canon_versions_are_hidden_from_search()
    {
        using var admin = app.AdminClient();
        await ThreadsTests.CreateSubcortexAsync(admin, "quar-obs");
        var observation = await Expect.Json(await admin.PostAsJsonAsync("/api/v1/observations", new
        {
            clientId = "quar-obs-1", subcortex = "quar-obs", kind = "alert", source = "grafana",
            text = "Quokka service latency above threshold", attributes = new { }, occurredAt = "2026-11-01T10:00:00Z",
        }), HttpStatusCode.Created);
        var observationId = observation.GetProperty("id").GetString()!;
        var reviewer = await app.CreatePrincipalAsync("quar-obs-reviewer", Role.Reviewer);
        using var reviewerClient = app.Client(reviewer.Key);
        var artifact = await ArtifactsTests.CreateArtifactAsync(admin, "quar-obs", "Quokka service runbook", "runbook");
        await Expect.Status(await admin.PostAsJsonAsync($"/api/v1/artifacts/{artifact}/versions", new
        {
            body = "Restart the quokka service when its latency stays high.",
            evidence = new[] { new { kind = "url", target = "https://example.com/quokka" } },
        }), HttpStatusCode.Created);
        await Expect.Status(await reviewerClient.PostAsync($"/api/v1/artifacts/{artifact}/versions/1/accept", null), HttpStatusCode.OK);

        Assert.Equal(2, (await SemanticSearchTests.SearchAsync(admin, "q=quokka&subcortex=quar-obs")).Count);
        await Expect.Status(await reviewerClient.PostAsJsonAsync("/api/v1/quarantine",
            new { entity = "observation", entityId = observationId, reason = "Poisoned alert." }), HttpStatusCode.Created);
        await Expect.Status(await reviewerClient.PostAsJsonAsync("/api/v1/quarantine",
            new { entity = "artifactVersion", entityId = $"{artifact}:1", reason = "Wrong advice." }), HttpStatusCode.Created);
        Assert.Empty(await SemanticSearchTests.SearchAsync(admin, "q=quokka&subcortex=quar-obs"));

        await Expect.Problem(await reviewerClient.PostAsJsonAsync("/api/v1/quarantine",
            new { entity = "artifactVersion", entityId = artifact, reason = "x" }), HttpStatusCode.BadRequest, "validation");
        await Expect.Problem(await reviewerClient.PostAsJsonAsync("/api/v1/quarantine",
            new { entity = "thread", entityId = "01J00000000000000000000000", reason = "x" }), HttpStatusCode.NotFound, "not-found");
        await Expect.Problem(await reviewerClient.PostAsJsonAsync("/api/v1/quarantine",
            new { entity = "principal", entityId = reviewer.Id, reason = "" }), HttpStatusCode.BadRequest, "validation");
    }

    private async Task<List<JsonElement>> FeedOfAsync(HttpClient client, string entityId)
    {
        var page = await Expect.Json(await client.GetAsync("/api/v1/changes?after=0&limit=1000"), HttpStatusCode.OK);
        return [.. page.GetProperty("changes").EnumerateArray().Where(c => c.GetProperty("entityId").GetString() == entityId)];
    }

    /// <summary>What a replica bootstrapping now receives for the item: the hub's feed reader and payloads from position 0.</summary>
    private async Task<List<SyncProtocol.EntityChange>> BootstrapAsync(string entityId)
    {
        var admin = await app.Services.GetRequiredService<PrincipalStore>().FindAsync(app.AdminId) ?? throw new InvalidOperationException();
        var page = await app.Services.GetRequiredService<ChangeFeedReader>().ReadAsync(admin, 0, ChangeFeedReader.MaxLimit);
        var changes = await app.Services.GetRequiredService<FeedPayloads>().LoadAsync(page.Changes);
        return [.. changes.Where(c => c.EntityId == entityId)];
    }
}
