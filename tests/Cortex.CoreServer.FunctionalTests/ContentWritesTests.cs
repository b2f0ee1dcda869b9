using System.Net;
using System.Net.Http.Json;
using Cortex.CoreServer.FunctionalTests.Infrastructure;
using Cortex.SharedModel.Principals;
using Xunit;

namespace Cortex.CoreServer.FunctionalTests;

/// <summary>The one write path for threads and comments: edits pass the draft gate, and every write passes the server's
/// secret scan (issues 5 and 6).</summary>
public sealed class ContentWritesTests(CortexApp app) : IClassFixture<CortexApp>
{
    // Syntactically valid credentials that exist nowhere; the secret scanner's own tests use the same shapes.
    private const string FakeGitHubToken = "ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3z5A";
    private const string FakePrivateKey = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAx4UbaDzY3nV8kL2mQ9pR4sT6uW8yZ1bC3dE5fG7hJ9kL1mN3\n-----END RSA PRIVATE KEY-----";

    [Fact]
    public async Task An_agents_edit_of_a_thread_under_review_becomes_a_draft_that_approval_applies()
    {
        using var admin = app.AdminClient();
        await ThreadsTests.CreateSubcortexAsync(admin, "edits-gate");
        await Expect.Status(
            await admin.PutAsJsonAsync("/api/v1/subcortexes/edits-gate/templates/discussion", new { reviewRequired = true }), HttpStatusCode.OK);
        var agent = await app.CreatePrincipalAsync("edits-agent", Role.Agent);
        var reviewer = await app.CreatePrincipalAsync("edits-reviewer", Role.Reviewer);
        using var agentClient = app.Client(agent.Key);
        using var reviewerClient = app.Client(reviewer.Key);
        var threadId = await ApprovedAgentThreadAsync(agentClient, reviewerClient, "edits-gate", "Agent notes");
        var changesBefore = await app.Database.CountAsync("changes", $"entity = 'thread' AND entity_id = '{threadId}'");

        var patched = await agentClient.PatchAsJsonAsync($"/api/v1/threads/{threadId}", new { body = "Corrected notes.", version = 1 });
        var draft = await Expect.Json(patched, HttpStatusCode.Accepted);
        var draftId = draft.GetProperty("id").GetString()!;
        Assert.Equal($"/api/v1/drafts/{draftId}", patched.Headers.Location?.ToString());
        Assert.Equal("thread", draft.GetProperty("kind").GetString());
        Assert.Equal(threadId, draft.GetProperty("threadId").GetString());
        Assert.Equal("Agent notes", draft.GetProperty("title").GetString());
        Assert.Equal("Corrected notes.", draft.GetProperty("body").GetString());
        var unchanged = await Expect.Json(await reviewerClient.GetAsync($"/api/v1/threads/{threadId}"), HttpStatusCode.OK);
        Assert.Equal(1, unchanged.GetProperty("version").GetInt64());
        Assert.Equal(changesBefore, await app.Database.CountAsync("changes", $"entity = 'thread' AND entity_id = '{threadId}'"));

        var approved = await Expect.Json(await reviewerClient.PostAsync($"/api/v1/drafts/{draftId}/approve", null), HttpStatusCode.OK);
        Assert.Equal(threadId, approved.GetProperty("materializedId").GetString());
        var edited = await Expect.Json(await reviewerClient.GetAsync($"/api/v1/threads/{threadId}"), HttpStatusCode.OK);
        Assert.Equal(2, edited.GetProperty("version").GetInt64());
        Assert.Equal("Corrected notes.", edited.GetProperty("body").GetString());
        Assert.Equal("<p>Corrected notes.</p>\n", edited.GetProperty("bodyHtml").GetString());
        Assert.Equal(agent.Id, edited.GetProperty("authorId").GetString());
        Assert.Equal(changesBefore + 1, await app.Database.CountAsync("changes", $"entity = 'thread' AND entity_id = '{threadId}'"));
        Assert.Equal(0L, await app.Database.CountAsync("threads", "title = 'Agent notes' AND id <> '" + threadId + "'"));
    }

    [Fact]
    public async Task An_edit_proposed_before_the_thread_changed_again_is_refused_at_approval()
    {
        using var admin = app.AdminClient();
        await ThreadsTests.CreateSubcortexAsync(admin, "edits-stale");
        var agent = await app.CreatePrincipalAsync("edits-stale-agent", Role.Agent);
        var reviewer = await app.CreatePrincipalAsync("edits-stale-reviewer", Role.Reviewer);
        using var agentClient = app.Client(agent.Key);
        using var reviewerClient = app.Client(reviewer.Key);
        var threadId = await ApprovedAgentThreadAsync(agentClient, reviewerClient, "edits-stale", "Stale edit");

        var draft = await Expect.Json(
            await agentClient.PatchAsJsonAsync($"/api/v1/threads/{threadId}", new { title = "Agent's title", version = 1 }), HttpStatusCode.Accepted);
        await Expect.Status(await admin.PatchAsJsonAsync($"/api/v1/threads/{threadId}", new { title = "Admin's title", version = 1 }), HttpStatusCode.OK);

        await Expect.Problem(
            await reviewerClient.PostAsync($"/api/v1/drafts/{draft.GetProperty("id").GetString()}/approve", null), HttpStatusCode.Conflict, "version-conflict");
        var thread = await Expect.Json(await reviewerClient.GetAsync($"/api/v1/threads/{threadId}"), HttpStatusCode.OK);
        Assert.Equal("Admin's title", thread.GetProperty("title").GetString());
        Assert.Equal(2, thread.GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task Thread_and_comment_writes_holding_a_secret_are_refused_naming_its_kind_and_write_nothing()
    {
        using var admin = app.AdminClient();
        await ThreadsTests.CreateSubcortexAsync(admin, "secrets-writes");
        var agent = await app.CreatePrincipalAsync("secrets-agent", Role.Agent);
        using var agentClient = app.Client(agent.Key);
        var threadId = await ThreadsTests.CreateThreadAsync(admin, "secrets-writes", "Clean");
        var threads = await app.Database.CountAsync("threads");
        var drafts = await app.Database.CountAsync("drafts");
        var changes = await app.Database.CountAsync("changes");

        var created = await Expect.Problem(
            await admin.PostAsJsonAsync("/api/v1/subcortexes/secrets-writes/threads", new { title = "Deploy", body = $"Use the token\n{FakeGitHubToken} to push." }),
            (HttpStatusCode)422,
            "secret-detected");
        Assert.Contains("github", created.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(FakeGitHubToken, created.ToString(), StringComparison.Ordinal);
        Assert.Contains("line 2", created.GetProperty("errors").GetProperty("body")[0].GetString(), StringComparison.Ordinal);
        Assert.NotEmpty(created.GetProperty("errors").GetProperty("secretKinds").EnumerateArray());

        // Agents' writes would become drafts; a secret must not reach the review queue either.
        await Expect.Problem(
            await agentClient.PostAsJsonAsync("/api/v1/subcortexes/secrets-writes/threads", new { title = "Key", body = FakePrivateKey }),
            (HttpStatusCode)422,
            "secret-detected");
        await Expect.Problem(
            await agentClient.PostAsJsonAsync($"/api/v1/threads/{threadId}/comments", new { body = $"token: {FakeGitHubToken}" }),
            (HttpStatusCode)422,
            "secret-detected");
        var patched = await Expect.Problem(
            await admin.PatchAsJsonAsync($"/api/v1/threads/{threadId}", new { title = $"see {FakeGitHubToken}", version = 1 }),
            (HttpStatusCode)422,
            "secret-detected");
        Assert.True(patched.GetProperty("errors").TryGetProperty("title", out _));

        Assert.Equal(threads, await app.Database.CountAsync("threads"));
        Assert.Equal(drafts, await app.Database.CountAsync("drafts"));
        Assert.Equal(changes, await app.Database.CountAsync("changes"));
        Assert.Equal(0L, await app.Database.CountAsync("comments", $"thread_id = '{threadId}'"));
    }

    [Fact]
    public async Task Drafts_observations_and_artifact_versions_holding_a_secret_are_refused_while_clean_items_land()
    {
        using var admin = app.AdminClient();
        await ThreadsTests.CreateSubcortexAsync(admin, "secrets-other");
        var draft = await Expect.Json(
            await admin.PostAsJsonAsync("/api/v1/drafts", new { kind = "thread", subcortex = "secrets-other", title = "Clean", body = "Clean body." }),
            HttpStatusCode.Created);
        var drafts = await app.Database.CountAsync("drafts");

        await Expect.Problem(
            await admin.PostAsJsonAsync("/api/v1/drafts", new { kind = "thread", subcortex = "secrets-other", title = "Leak", body = $"token {FakeGitHubToken}" }),
            (HttpStatusCode)422,
            "secret-detected");
        await Expect.Problem(
            await admin.PatchAsJsonAsync($"/api/v1/drafts/{draft.GetProperty("id").GetString()}", new { body = FakePrivateKey, version = 1 }),
            (HttpStatusCode)422,
            "secret-detected");
        Assert.Equal(drafts, await app.Database.CountAsync("drafts"));
        Assert.Equal(0L, await app.Database.CountAsync("draft_revisions"));

        await Expect.Problem(
            await admin.PostAsJsonAsync("/api/v1/observations", new { clientId = "leak-1", subcortex = "secrets-other", kind = "ci", text = $"GITHUB_TOKEN={FakeGitHubToken}" }),
            (HttpStatusCode)422,
            "secret-detected");
        var batch = await Expect.Json(
            await admin.PostAsJsonAsync("/api/v1/observations/batch", new
            {
                items = new object[]
                {
                    new { clientId = "clean-1", subcortex = "secrets-other", kind = "ci", text = "Build green." },
                    new { clientId = "leak-2", subcortex = "secrets-other", kind = "ci", text = "ok", attributes = new { token = FakeGitHubToken } },
                },
            }),
            HttpStatusCode.OK);
        Assert.Equal(1, batch.GetProperty("created").GetInt32());
        var refused = batch.GetProperty("results")[1];
        Assert.Equal("rejected", refused.GetProperty("status").GetString());
        Assert.Contains(refused.GetProperty("errors").EnumerateArray(), e => e.GetProperty("field").GetString() == "attributes");
        Assert.DoesNotContain(FakeGitHubToken, batch.ToString(), StringComparison.Ordinal);
        Assert.Equal(0L, await app.Database.CountAsync("observations", "client_id LIKE 'leak-%'"));

        var artifact = await Expect.Json(
            await admin.PostAsJsonAsync("/api/v1/artifacts", new { subcortex = "secrets-other", title = "Runbook", kind = "runbook" }), HttpStatusCode.Created);
        var versions = await app.Database.CountAsync("artifact_versions");
        await Expect.Problem(
            await admin.PostAsJsonAsync(
                $"/api/v1/artifacts/{artifact.GetProperty("id").GetString()}/versions",
                new { body = "Steps.", evidence = new[] { new { kind = "url", target = "https://deploy:hunter2hunter2@example.com/hook" } } }),
            (HttpStatusCode)422,
            "secret-detected");
        Assert.Equal(versions, await app.Database.CountAsync("artifact_versions"));
    }

    private static async Task<string> ApprovedAgentThreadAsync(HttpClient agent, HttpClient reviewer, string slug, string title)
    {
        var draft = await Expect.Json(
            await agent.PostAsJsonAsync($"/api/v1/subcortexes/{slug}/threads", new { title, body = "First notes." }), HttpStatusCode.Accepted);
        var approved = await Expect.Json(await reviewer.PostAsync($"/api/v1/drafts/{draft.GetProperty("id").GetString()}/approve", null), HttpStatusCode.OK);
        return approved.GetProperty("materializedId").GetString()!;
    }
}
