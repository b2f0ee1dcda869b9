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

namespace Cortex.CoreServer.FunctionalTests;

public sealed class ArtifactsTests(CortexApp app) : IClassFixture<CortexApp>
{
    // A syntactically valid GitHub token that exists nowhere; the secret scanner's own tests use the same shape.
    private const string FakeToken = "ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3z5A";

    [Fact]
    public async Task Canon_needs_a_reviewer_other_than_the_author_enough_evidence_and_a_clean_secret_scan()
    {
        using var admin = app.AdminClient();
        await ThreadsTests.CreateSubcortexAsync(admin, "art-gate");
        await Expect.Status(
            await admin.PutAsJsonAsync(
                "/api/v1/subcortexes/art-gate/templates/runbook", new { minEvidence = 2, evidenceKinds = new[] { "thread", "url" } }),
            HttpStatusCode.OK);
        var thread = await ThreadsTests.CreateThreadAsync(admin, "art-gate", "Disk full incident");
        var author = await app.CreatePrincipalAsync("art-gate-author", Role.Reviewer);
        var member = await app.CreatePrincipalAsync("art-gate-member", Role.Member);
        using var authorClient = app.Client(author.Key);
        using var memberClient = app.Client(member.Key);
        var artifact = await CreateArtifactAsync(authorClient, "art-gate", "Disk full runbook", "runbook");

        var thin = await ProposeAsync(authorClient, artifact, "# Steps\nRotate logs.", new { kind = "thread", target = thread });
        await Expect.Problem(await memberClient.PostAsync($"/api/v1/artifacts/{artifact}/versions/{thin}/accept", null), HttpStatusCode.Forbidden, "forbidden");
        await Expect.Problem(await authorClient.PostAsync($"/api/v1/artifacts/{artifact}/versions/{thin}/accept", null), HttpStatusCode.Forbidden, "self-review");
        var missing = await Expect.Problem(
            await admin.PostAsync($"/api/v1/artifacts/{artifact}/versions/{thin}/accept", null), (HttpStatusCode)422, "canon-evidence-missing");
        var detail = missing.GetProperty("detail").GetString()!;
        Assert.Contains("at least 2", detail, StringComparison.Ordinal);
        Assert.Contains("thread, url", detail, StringComparison.Ordinal);
        Assert.Contains("1 more", detail, StringComparison.Ordinal);

        // A proposal holding a secret is refused on write (the server's own scan); the canon gate still scans what it
        // accepts, for versions written before that scan existed (planted here by SQL).
        var refused = await Expect.Problem(
            await authorClient.PostAsJsonAsync(
                $"/api/v1/artifacts/{artifact}/versions", new { body = $"# Steps\nexport GITHUB_TOKEN={FakeToken}", evidence = Array.Empty<object>() }),
            (HttpStatusCode)422,
            "secret-detected");
        Assert.DoesNotContain(FakeToken[4..], refused.ToString(), StringComparison.Ordinal);
        var secret = await ProposeAsync(
            authorClient,
            artifact,
            "# Steps\nRotate logs.",
            new { kind = "thread", target = thread },
            new { kind = "url", target = "https://wiki.example.com/disk" });
        await app.Database.ScalarAsync(
            $"UPDATE artifact_versions SET body = body || E'\\nexport GITHUB_TOKEN={FakeToken}' WHERE artifact_id = '{artifact}' AND number = {secret}");
        var found = await Expect.Problem(
            await admin.PostAsync($"/api/v1/artifacts/{artifact}/versions/{secret}/accept", null), (HttpStatusCode)422, "canon-secret-found");
        Assert.Contains("github-token", found.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(FakeToken[4..], found.ToString(), StringComparison.Ordinal);

        var good = await ProposeAsync(
            authorClient, artifact, "# Steps\nRotate logs.", new { kind = "thread", target = thread }, new { kind = "url", target = "https://wiki.example.com/disk" });
        var canon = await Expect.Json(await admin.PostAsync($"/api/v1/artifacts/{artifact}/versions/{good}/accept", null), HttpStatusCode.OK);
        Assert.Equal("canon", canon.GetProperty("state").GetString());
        Assert.Equal(app.AdminId, canon.GetProperty("acceptedBy").GetString());
        var read = await Expect.Json(await memberClient.GetAsync($"/api/v1/artifacts/{artifact}"), HttpStatusCode.OK);
        Assert.Equal(good, read.GetProperty("canonVersion").GetInt32());
        Assert.Equal(1L, await app.Database.CountAsync("audit_events", $"action = 'artifact.canon.accept' AND target_id = '{artifact}:{good}'"));

        await Expect.Problem(
            await authorClient.PostAsJsonAsync(
                $"/api/v1/artifacts/{artifact}/versions", new { body = "x", evidence = new[] { new { kind = "thread", target = "01J00000000000000000000000" } } }),
            HttpStatusCode.BadRequest,
            "validation");
    }

    [Fact]
    public async Task Editing_canon_proposes_a_new_version_and_accepting_it_supersedes_the_old_canon()
    {
        using var admin = app.AdminClient();
        await ThreadsTests.CreateSubcortexAsync(admin, "art-edit");
        var member = await app.CreatePrincipalAsync("art-edit-member", Role.Member);
        using var memberClient = app.Client(member.Key);
        var artifact = await CreateArtifactAsync(memberClient, "art-edit", "Deploy decision", "decision");
        var first = await ProposeAsync(memberClient, artifact, "We deploy on Tuesdays.\nWith two reviewers.\nAfter the standup.");
        await Expect.Status(await admin.PostAsync($"/api/v1/artifacts/{artifact}/versions/{first}/accept", null), HttpStatusCode.OK);

        var edit = await memberClient.PatchAsJsonAsync(
            $"/api/v1/artifacts/{artifact}/versions/{first}", new { body = "We deploy on Thursdays.\nWith two reviewers.\nAfter the standup." });
        var proposed = await Expect.Json(edit, HttpStatusCode.Created);
        var second = proposed.GetProperty("number").GetInt32();
        Assert.Equal(first + 1, second);
        Assert.Equal(first, proposed.GetProperty("basedOn").GetInt32());
        Assert.Equal("proposed", proposed.GetProperty("state").GetString());
        var canonBody = await Expect.Json(await memberClient.GetAsync($"/api/v1/artifacts/{artifact}/versions/{first}"), HttpStatusCode.OK);
        Assert.Equal("canon", canonBody.GetProperty("state").GetString());
        Assert.StartsWith("We deploy on Tuesdays.", canonBody.GetProperty("body").GetString(), StringComparison.Ordinal);

        var diff = await Expect.Json(await memberClient.GetAsync($"/api/v1/artifacts/{artifact}/diff?from={first}&to={second}"), HttpStatusCode.OK);
        Assert.Equal(
            $"--- v{first}\n+++ v{second}\n@@ -1,3 +1,3 @@\n-We deploy on Tuesdays.\n+We deploy on Thursdays.\n With two reviewers.\n After the standup.\n",
            diff.GetProperty("unified").GetString());

        await Expect.Status(await admin.PostAsync($"/api/v1/artifacts/{artifact}/versions/{second}/accept", null), HttpStatusCode.OK);
        var versions = await Expect.Json(await memberClient.GetAsync($"/api/v1/artifacts/{artifact}/versions"), HttpStatusCode.OK);
        Assert.Equal(["superseded", "canon"], versions.GetProperty("items").EnumerateArray().Select(v => v.GetProperty("state").GetString()));
        Assert.Equal(1L, await app.Database.CountAsync("artifact_versions", $"artifact_id = '{artifact}' AND state = 'canon'"));
        await Expect.Problem(
            await admin.PostAsync($"/api/v1/artifacts/{artifact}/versions/{first}/accept", null), HttpStatusCode.Conflict, "draft-already-decided");
    }

    [Fact]
    public async Task Agents_versions_are_drafts_and_deprecated_or_superseded_artifacts_take_no_more()
    {
        using var admin = app.AdminClient();
        await ThreadsTests.CreateSubcortexAsync(admin, "art-agent");
        var agent = await app.CreatePrincipalAsync("art-agent-bot", Role.Agent);
        var member = await app.CreatePrincipalAsync("art-agent-member", Role.Member);
        var reader = await app.CreatePrincipalAsync("art-agent-reader", Role.Reader);
        using var agentClient = app.Client(agent.Key);
        using var memberClient = app.Client(member.Key);
        using var readerClient = app.Client(reader.Key);
        await Expect.Problem(
            await readerClient.PostAsJsonAsync("/api/v1/artifacts", new { subcortex = "art-agent", title = "No", kind = "spec" }), HttpStatusCode.Forbidden, "forbidden");
        var artifact = await CreateArtifactAsync(agentClient, "art-agent", "Build spec", "spec");

        var draft = await Expect.Json(
            await agentClient.PostAsJsonAsync($"/api/v1/artifacts/{artifact}/versions", new { body = "Builds run on every push." }), HttpStatusCode.Accepted);
        Assert.Equal("artifactVersion", draft.GetProperty("kind").GetString());
        Assert.Equal(0L, await app.Database.CountAsync("artifact_versions", $"artifact_id = '{artifact}'"));
        var approved = await Expect.Json(await admin.PostAsync($"/api/v1/drafts/{draft.GetProperty("id").GetString()}/approve", null), HttpStatusCode.OK);
        Assert.Equal("1", approved.GetProperty("materializedId").GetString());
        var version = await Expect.Json(await agentClient.GetAsync($"/api/v1/artifacts/{artifact}/versions/1"), HttpStatusCode.OK);
        Assert.Equal(agent.Id, version.GetProperty("authorId").GetString());
        await Expect.Problem(await agentClient.PostAsync($"/api/v1/artifacts/{artifact}/versions/1/accept", null), HttpStatusCode.Forbidden, "forbidden");

        var explicitDraft = await Expect.Json(
            await agentClient.PostAsJsonAsync(
                "/api/v1/drafts",
                new { kind = "artifactVersion", artifactId = artifact, body = "Builds run on every push and nightly.", evidence = new[] { new { kind = "url", target = "https://ci.example.com/nightly" } } }),
            HttpStatusCode.Created);
        var second = await Expect.Json(
            await admin.PostAsync($"/api/v1/drafts/{explicitDraft.GetProperty("id").GetString()}/approve", null), HttpStatusCode.OK);
        var withEvidence = await Expect.Json(
            await agentClient.GetAsync($"/api/v1/artifacts/{artifact}/versions/{second.GetProperty("materializedId").GetString()}"), HttpStatusCode.OK);
        Assert.Equal("https://ci.example.com/nightly", Assert.Single(withEvidence.GetProperty("evidence").EnumerateArray()).GetProperty("target").GetString());
        Assert.Equal(explicitDraft.GetProperty("id").GetString(), withEvidence.GetProperty("draftId").GetString());

        var successor = await CreateArtifactAsync(memberClient, "art-agent", "Build spec v2", "spec");
        await Expect.Problem(await memberClient.PostAsync($"/api/v1/artifacts/{artifact}/deprecate", null), HttpStatusCode.Forbidden, "forbidden");
        var superseded = await Expect.Json(
            await admin.PostAsJsonAsync($"/api/v1/artifacts/{artifact}/supersede", new { by = successor }), HttpStatusCode.OK);
        Assert.Equal("superseded", superseded.GetProperty("state").GetString());
        Assert.Equal(successor, superseded.GetProperty("supersededBy").GetString());
        await Expect.Problem(
            await memberClient.PostAsJsonAsync($"/api/v1/artifacts/{artifact}/versions", new { body = "Late." }), HttpStatusCode.Conflict, "not-active");
        var deprecated = await Expect.Json(await admin.PostAsync($"/api/v1/artifacts/{successor}/deprecate", null), HttpStatusCode.OK);
        Assert.Equal("deprecated", deprecated.GetProperty("state").GetString());
    }

    [Fact]
    public async Task The_whole_loop_agent_draft_review_canon_and_search_ranks_canon_first()
    {
        using var admin = app.AdminClient();
        await ThreadsTests.CreateSubcortexAsync(admin, "art-loop");
        await Expect.Status(
            await admin.PutAsJsonAsync("/api/v1/subcortexes/art-loop/templates/runbook", new { minEvidence = 1, evidenceKinds = new[] { "thread" } }),
            HttpStatusCode.OK);
        var agent = await app.CreatePrincipalAsync("art-loop-agent", Role.Agent);
        var reviewer = await app.CreatePrincipalAsync("art-loop-reviewer", Role.Reviewer);
        var writer = await app.CreatePrincipalAsync("art-loop-writer", Role.Member);
        using var agentClient = app.Client(agent.Key);
        using var reviewerClient = app.Client(reviewer.Key);
        using var writerClient = app.Client(writer.Key);

        var draft = await Expect.Json(
            await agentClient.PostAsJsonAsync(
                "/api/v1/subcortexes/art-loop/threads",
                new { title = "Replication lag spike", body = "Replication lag grew after the vacuum job; restarting the replica fixed it.", kind = "incident" }),
            HttpStatusCode.Accepted);
        var approved = await Expect.Json(
            await reviewerClient.PostAsync($"/api/v1/drafts/{draft.GetProperty("id").GetString()}/approve", null), HttpStatusCode.OK);
        var thread = approved.GetProperty("materializedId").GetString()!;

        var artifact = await CreateArtifactAsync(writerClient, "art-loop", "Replication lag runbook", "runbook");
        var number = await ProposeAsync(
            writerClient, artifact, "# Replication lag\nCheck the vacuum job, then restart the replica.", new { kind = "thread", target = thread });
        await Expect.Status(await reviewerClient.PostAsync($"/api/v1/artifacts/{artifact}/versions/{number}/accept", null), HttpStatusCode.OK);

        var result = await Expect.Json(await agentClient.GetAsync("/api/v1/search?q=replication%20lag&mode=keyword"), HttpStatusCode.OK);
        var hits = result.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(("artifact", artifact), (hits[0].GetProperty("kind").GetString(), hits[0].GetProperty("id").GetString()));
        Assert.Equal("Replication lag runbook", hits[0].GetProperty("title").GetString());
        Assert.Contains(hits, hit => hit.GetProperty("id").GetString() == thread);
    }

    [Fact]
    public async Task Artifacts_and_their_versions_reach_replicas_with_the_fields_they_index()
    {
        using var admin = app.AdminClient();
        await ThreadsTests.CreateSubcortexAsync(admin, "art-feed");
        var author = await app.CreatePrincipalAsync("art-feed-author", Role.Reviewer);
        using var authorClient = app.Client(author.Key);
        var artifact = await CreateArtifactAsync(authorClient, "art-feed", "Restore drill", "runbook");
        var first = await ProposeAsync(authorClient, artifact, "# Steps\nRestore the dump.", new { kind = "url", target = "https://example.org/drill" });
        await Expect.Status(await admin.PostAsync($"/api/v1/artifacts/{artifact}/versions/{first}/accept", null), HttpStatusCode.OK);
        var second = await ProposeAsync(authorClient, artifact, "# Steps\nRestore the dump, then verify.");

        var me = await app.Services.GetRequiredService<PrincipalStore>().FindAsync(author.Id) ?? throw new InvalidOperationException();
        var page = await app.Services.GetRequiredService<ChangeFeedReader>().ReadAsync(me, 0, 1000);
        var changes = await app.Services.GetRequiredService<FeedPayloads>().LoadAsync(
            [.. page.Changes.Where(c => c.EntityId == artifact || c.EntityId.StartsWith(artifact + ":", StringComparison.Ordinal))]);

        var artifactJson = JsonDocument.Parse(changes.Last(c => c.Entity == "artifact").Payload!).RootElement;
        Assert.Equal("Restore drill", artifactJson.GetProperty("title").GetString());
        Assert.Equal(first, artifactJson.GetProperty("canonVersion").GetInt32());
        var canon = JsonDocument.Parse(changes.Last(c => c.EntityId == $"{artifact}:{first}").Payload!).RootElement;
        Assert.Equal("canon", canon.GetProperty("state").GetString());
        Assert.Equal(artifact, canon.GetProperty("artifactId").GetString());
        Assert.Contains("Restore the dump.", canon.GetProperty("body").GetString(), StringComparison.Ordinal);
        var proposed = changes.Last(c => c.EntityId == $"{artifact}:{second}");
        Assert.Equal(1, proposed.Version); // a version's feed version follows its state: proposed 1, canon 2
        Assert.Equal("proposed", JsonDocument.Parse(proposed.Payload!).RootElement.GetProperty("state").GetString());
    }

    internal static async Task<string> CreateArtifactAsync(HttpClient client, string subcortex, string title, string kind)
    {
        var created = await Expect.Json(await client.PostAsJsonAsync("/api/v1/artifacts", new { subcortex, title, kind }), HttpStatusCode.Created);
        return created.GetProperty("id").GetString()!;
    }

    internal static async Task<int> ProposeAsync(HttpClient client, string artifact, string body, params object[] evidence)
    {
        var created = await Expect.Json(
            await client.PostAsJsonAsync($"/api/v1/artifacts/{artifact}/versions", new { body, evidence }), HttpStatusCode.Created);
        return created.GetProperty("number").GetInt32();
    }
}
