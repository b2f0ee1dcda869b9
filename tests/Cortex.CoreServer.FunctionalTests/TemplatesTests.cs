using System.Net;
using System.Net.Http.Json;
using Cortex.CoreServer.FunctionalTests.Infrastructure;
using Cortex.SharedModel.Principals;
using Xunit;

namespace Cortex.CoreServer.FunctionalTests;

public sealed class TemplatesTests(CortexApp app) : IClassFixture<CortexApp>
{
    [Fact]
    public async Task Members_propose_subcortexes_that_take_content_only_once_a_reviewer_activates_them()
    {
        var member = await app.CreatePrincipalAsync("tpl-proposer", Role.Member);
        var reviewer = await app.CreatePrincipalAsync("tpl-reviewer", Role.Reviewer);
        var agent = await app.CreatePrincipalAsync("tpl-agent", Role.Agent);
        using var memberClient = app.Client(member.Key);
        using var reviewerClient = app.Client(reviewer.Key);
        using var agentClient = app.Client(agent.Key);
        await ThreadsTests.CreateSubcortexAsync(memberClient, "tpl-proposed");
        await ThreadsTests.CreateSubcortexAsync(memberClient, "tpl-unwanted");

        var refused = await Expect.Problem(
            await memberClient.PostAsJsonAsync("/api/v1/subcortexes/tpl-proposed/threads", new { title = "Early", body = "Too early." }),
            HttpStatusCode.Conflict,
            "conflict");
        Assert.Contains("proposed", refused.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await Expect.Problem(
            await agentClient.PostAsJsonAsync("/api/v1/drafts", new { kind = "thread", subcortex = "tpl-proposed", title = "Early", body = "Too early." }),
            HttpStatusCode.Conflict,
            "not-active");
        await Expect.Problem(await memberClient.PostAsync("/api/v1/subcortexes/tpl-proposed/activate", null), HttpStatusCode.Forbidden, "forbidden");
        await Expect.Problem(await agentClient.PostAsync("/api/v1/subcortexes/tpl-proposed/decline", null), HttpStatusCode.Forbidden, "forbidden");

        var active = await Expect.Json(await reviewerClient.PostAsync("/api/v1/subcortexes/tpl-proposed/activate", null), HttpStatusCode.OK);
        Assert.Equal("active", active.GetProperty("state").GetString());
        await ThreadsTests.CreateThreadAsync(memberClient, "tpl-proposed", "Now it works");
        await Expect.Problem(await reviewerClient.PostAsync("/api/v1/subcortexes/tpl-proposed/decline", null), HttpStatusCode.Conflict, "draft-already-decided");

        var declined = await Expect.Json(await reviewerClient.PostAsync("/api/v1/subcortexes/tpl-unwanted/decline", null), HttpStatusCode.OK);
        Assert.Equal("declined", declined.GetProperty("state").GetString());
        await Expect.Problem(
            await memberClient.PostAsJsonAsync("/api/v1/subcortexes/tpl-unwanted/threads", new { title = "Late", body = "Declined." }),
            HttpStatusCode.Conflict,
            "conflict");
        Assert.Equal(2L, await app.Database.CountAsync("changes", "entity = 'subcortex' AND operation = 'updated'"));
    }

    [Fact]
    public async Task Templates_require_sections_and_can_route_every_write_through_review()
    {
        using var admin = app.AdminClient();
        await ThreadsTests.CreateSubcortexAsync(admin, "tpl-incidents");
        var member = await app.CreatePrincipalAsync("tpl-writer", Role.Member);
        var agent = await app.CreatePrincipalAsync("tpl-template-agent", Role.Agent);
        using var memberClient = app.Client(member.Key);
        using var agentClient = app.Client(agent.Key);

        await Expect.Problem(
            await agentClient.PutAsJsonAsync("/api/v1/subcortexes/tpl-incidents/templates/incident", new { reviewRequired = false }),
            HttpStatusCode.Forbidden,
            "forbidden");
        await Expect.Problem(
            await memberClient.PutAsJsonAsync("/api/v1/subcortexes/tpl-incidents/templates/incident", new { reviewRequired = false }),
            HttpStatusCode.Forbidden,
            "forbidden");
        var invalid = await Expect.Problem(
            await admin.PutAsJsonAsync("/api/v1/subcortexes/tpl-incidents/templates/incident", new { minEvidence = -1, evidenceKinds = new[] { "rumour" } }),
            HttpStatusCode.BadRequest,
            "validation");
        Assert.True(invalid.GetProperty("errors").TryGetProperty("evidenceKinds", out _));
        var template = await Expect.Json(
            await admin.PutAsJsonAsync(
                "/api/v1/subcortexes/tpl-incidents/templates/incident",
                new { requiredSections = new[] { "Impact", "Timeline" }, reviewRequired = true }),
            HttpStatusCode.OK);
        Assert.Equal(["Impact", "Timeline"], template.GetProperty("requiredSections").EnumerateArray().Select(s => s.GetString()));

        var missing = await Expect.Problem(
            await memberClient.PostAsJsonAsync(
                "/api/v1/subcortexes/tpl-incidents/threads", new { title = "Outage", kind = "incident", body = "## Impact\nAll users." }),
            HttpStatusCode.BadRequest,
            "validation");
        Assert.Contains("Timeline", missing.GetProperty("errors").GetProperty("body")[0].GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("Impact", missing.GetProperty("errors").GetProperty("body")[0].GetString(), StringComparison.Ordinal);

        var draft = await Expect.Json(
            await memberClient.PostAsJsonAsync(
                "/api/v1/subcortexes/tpl-incidents/threads", new { title = "Outage", kind = "incident", body = "## Impact\nAll users.\n\n### timeline\n10:00 down" }),
            HttpStatusCode.Accepted);
        Assert.Equal(member.Id, draft.GetProperty("authorId").GetString());
        await Expect.Problem(
            await memberClient.PatchAsJsonAsync($"/api/v1/drafts/{draft.GetProperty("id").GetString()}", new { body = "Just text now.", version = 1 }),
            HttpStatusCode.BadRequest,
            "validation");
        await ThreadsTests.CreateThreadAsync(memberClient, "tpl-incidents", "A plain discussion is not gated");

        var templates = await Expect.Json(await memberClient.GetAsync("/api/v1/subcortexes/tpl-incidents/templates"), HttpStatusCode.OK);
        Assert.Equal("incident", Assert.Single(templates.EnumerateArray()).GetProperty("kind").GetString());
    }
}
