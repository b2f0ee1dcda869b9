using System.Net;
using System.Net.Http.Json;
using Cortex.CoreServer.FunctionalTests.Infrastructure;
using Cortex.SharedModel.Principals;
using Xunit;

namespace Cortex.CoreServer.FunctionalTests;

/// <summary>
/// The gates check a template's required sections when they decide, not only when the text was written: a draft or a
/// proposed version is edited (live, too) and its template may change while it waits for review.
/// </summary>
public sealed class GateSectionsTests(CortexApp app) : IClassFixture<CortexApp>
{
    [Fact]
    public async Task A_draft_that_lacks_a_section_its_template_now_requires_is_not_approved_until_it_has_it()
    {
        using var admin = app.AdminClient();
        await ThreadsTests.CreateSubcortexAsync(admin, "gate-sections");
        var agent = await app.CreatePrincipalAsync("gate-sections-agent", Role.Agent);
        var reviewer = await app.CreatePrincipalAsync("gate-sections-reviewer", Role.Reviewer);
        using var agentClient = app.Client(agent.Key);
        using var reviewerClient = app.Client(reviewer.Key);
        var draft = await Expect.Json(
            await agentClient.PostAsJsonAsync(
                "/api/v1/subcortexes/gate-sections/threads", new { title = "Disk full on db-2", body = "The WAL volume filled up.", kind = "incident" }),
            HttpStatusCode.Accepted);
        var id = draft.GetProperty("id").GetString()!;
        await Expect.Status(
            await admin.PutAsJsonAsync("/api/v1/subcortexes/gate-sections/templates/incident", new { requiredSections = new[] { "Impact" } }),
            HttpStatusCode.OK);

        var refused = await Expect.Problem(await reviewerClient.PostAsync($"/api/v1/drafts/{id}/approve", null), (HttpStatusCode)422, "template-sections-missing");
        Assert.Contains("Impact", refused.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("pending", (await Expect.Json(await reviewerClient.GetAsync($"/api/v1/drafts/{id}"), HttpStatusCode.OK)).GetProperty("state").GetString());
        Assert.Equal(0L, await app.Database.CountAsync("threads", "title = 'Disk full on db-2'"));

        await Expect.Status(
            await reviewerClient.PatchAsJsonAsync($"/api/v1/drafts/{id}", new { body = "The WAL volume filled up.\n\n## Impact\nWrites failed for 4 minutes.", version = 1 }),
            HttpStatusCode.OK);
        var approved = await Expect.Json(await reviewerClient.PostAsync($"/api/v1/drafts/{id}/approve", null), HttpStatusCode.OK);
        var thread = await Expect.Json(await admin.GetAsync($"/api/v1/threads/{approved.GetProperty("materializedId").GetString()}"), HttpStatusCode.OK);
        Assert.Contains("## Impact", thread.GetProperty("body").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_version_that_lacks_a_section_its_template_now_requires_does_not_become_canon()
    {
        using var admin = app.AdminClient();
        await ThreadsTests.CreateSubcortexAsync(admin, "gate-sections-canon");
        var writer = await app.CreatePrincipalAsync("gate-sections-writer", Role.Member);
        var reviewer = await app.CreatePrincipalAsync("gate-sections-canon-reviewer", Role.Reviewer);
        using var writerClient = app.Client(writer.Key);
        using var reviewerClient = app.Client(reviewer.Key);
        var artifact = await ArtifactsTests.CreateArtifactAsync(writerClient, "gate-sections-canon", "Failover runbook", "runbook");
        var lacking = await ArtifactsTests.ProposeAsync(writerClient, artifact, "# Failover\nPromote the standby.");
        await Expect.Status(
            await admin.PutAsJsonAsync("/api/v1/subcortexes/gate-sections-canon/templates/runbook", new { requiredSections = new[] { "Rollback" } }),
            HttpStatusCode.OK);

        var refused = await Expect.Problem(
            await reviewerClient.PostAsync($"/api/v1/artifacts/{artifact}/versions/{lacking}/accept", null), (HttpStatusCode)422, "template-sections-missing");
        Assert.Contains("Rollback", refused.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0L, await app.Database.CountAsync("artifact_versions", $"artifact_id = '{artifact}' AND state = 'canon'"));

        var complete = await ArtifactsTests.ProposeAsync(writerClient, artifact, "# Failover\nPromote the standby.\n\n## Rollback\nDemote it again.");
        await Expect.Status(await reviewerClient.PostAsync($"/api/v1/artifacts/{artifact}/versions/{complete}/accept", null), HttpStatusCode.OK);
    }
}
