using System.Net;
using System.Net.Http.Json;
using Cortex.CoreServer.FunctionalTests.Infrastructure;
using Cortex.SharedModel.Principals;
using Npgsql;
using Xunit;

namespace Cortex.CoreServer.FunctionalTests;

public sealed class DraftsTests(CortexApp app) : IClassFixture<CortexApp>
{
    [Fact]
    public async Task An_agents_thread_becomes_a_draft_and_approval_materializes_it_in_its_subcortex()
    {
        using var admin = app.AdminClient();
        await ThreadsTests.CreateSubcortexAsync(admin, "drafts-gate");
        var agent = await app.CreatePrincipalAsync("drafts-gate-agent", Role.Agent);
        var reviewer = await app.CreatePrincipalAsync("drafts-gate-reviewer", Role.Reviewer);
        using var agentClient = app.Client(agent.Key);
        using var reviewerClient = app.Client(reviewer.Key);

        var posted = await agentClient.PostAsJsonAsync(
            "/api/v1/subcortexes/drafts-gate/threads", new { title = "Flaky build on main", body = "Test X times out.", kind = "incident" });
        var draft = await Expect.Json(posted, HttpStatusCode.Accepted);
        var draftId = draft.GetProperty("id").GetString()!;
        Assert.Equal($"/api/v1/drafts/{draftId}", posted.Headers.Location?.ToString());
        Assert.Equal("thread", draft.GetProperty("kind").GetString());
        Assert.Equal("pending", draft.GetProperty("state").GetString());
        Assert.Equal("incident", draft.GetProperty("threadKind").GetString());
        Assert.Equal(agent.Id, draft.GetProperty("authorId").GetString());
        Assert.Equal(0L, await app.Database.CountAsync("threads", "title = 'Flaky build on main'"));

        await Expect.Problem(await agentClient.PostAsync($"/api/v1/drafts/{draftId}/approve", null), HttpStatusCode.Forbidden, "forbidden");
        var approved = await Expect.Json(await reviewerClient.PostAsync($"/api/v1/drafts/{draftId}/approve", null), HttpStatusCode.OK);
        Assert.Equal("approved", approved.GetProperty("state").GetString());
        Assert.Equal(reviewer.Id, approved.GetProperty("reviewedBy").GetString());
        Assert.True(approved.GetProperty("approvalLatencyMs").GetInt64() >= 0);
        var threadId = approved.GetProperty("materializedId").GetString()!;

        var thread = await Expect.Json(await reviewerClient.GetAsync($"/api/v1/threads/{threadId}"), HttpStatusCode.OK);
        Assert.Equal("Flaky build on main", thread.GetProperty("title").GetString());
        Assert.Equal(agent.Id, thread.GetProperty("authorId").GetString());
        Assert.Equal("incident", thread.GetProperty("kind").GetString());
        var list = await Expect.Json(await reviewerClient.GetAsync("/api/v1/subcortexes/drafts-gate/threads"), HttpStatusCode.OK);
        Assert.Equal(threadId, Assert.Single(list.GetProperty("items").EnumerateArray()).GetProperty("id").GetString());

        Assert.Equal(1L, await app.Database.CountAsync("changes", $"entity = 'thread' AND entity_id = '{threadId}'"));
        Assert.Equal(2L, await app.Database.CountAsync("changes", $"entity = 'draft' AND entity_id = '{draftId}' AND principal_id = '{agent.Id}'"));
        Assert.Equal(1L, await app.Database.CountAsync("audit_events", $"action = 'draft.approve' AND target_id = '{draftId}' AND principal_id = '{reviewer.Id}'"));
    }

    [Fact]
    public async Task An_agents_comment_becomes_a_draft_and_lands_on_its_thread_when_approved()
    {
        using var admin = app.AdminClient();
        await ThreadsTests.CreateSubcortexAsync(admin, "drafts-comment");
        var thread = await ThreadsTests.CreateThreadAsync(admin, "drafts-comment", "Question");
        var agent = await app.CreatePrincipalAsync("drafts-comment-agent", Role.Agent);
        using var agentClient = app.Client(agent.Key);

        var draft = await Expect.Json(
            await agentClient.PostAsJsonAsync($"/api/v1/threads/{thread}/comments", new { body = "The answer is **42**." }), HttpStatusCode.Accepted);
        Assert.Equal("comment", draft.GetProperty("kind").GetString());
        Assert.Equal(thread, draft.GetProperty("threadId").GetString());
        Assert.Equal(0L, await app.Database.CountAsync("comments", $"thread_id = '{thread}'"));

        var approved = await Expect.Json(await admin.PostAsync($"/api/v1/drafts/{draft.GetProperty("id").GetString()}/approve", null), HttpStatusCode.OK);
        var comments = await Expect.Json(await admin.GetAsync($"/api/v1/threads/{thread}/comments"), HttpStatusCode.OK);
        var comment = Assert.Single(comments.GetProperty("items").EnumerateArray());
        Assert.Equal(approved.GetProperty("materializedId").GetString(), comment.GetProperty("id").GetString());
        Assert.Equal(agent.Id, comment.GetProperty("authorId").GetString());
        Assert.Equal("<p>The answer is <strong>42</strong>.</p>\n", comment.GetProperty("bodyHtml").GetString());
    }

    [Fact]
    public async Task Reviews_follow_the_matrix_the_author_never_approves_and_rejections_keep_their_reason()
    {
        using var admin = app.AdminClient();
        await ThreadsTests.CreateSubcortexAsync(admin, "drafts-rbac");
        var author = await app.CreatePrincipalAsync("drafts-rbac-author", Role.Reviewer);
        var other = await app.CreatePrincipalAsync("drafts-rbac-other", Role.Reviewer);
        var member = await app.CreatePrincipalAsync("drafts-rbac-member", Role.Member);
        var reader = await app.CreatePrincipalAsync("drafts-rbac-reader", Role.Reader);
        using var authorClient = app.Client(author.Key);
        using var otherClient = app.Client(other.Key);
        using var memberClient = app.Client(member.Key);
        using var readerClient = app.Client(reader.Key);

        await Expect.Problem(
            await readerClient.PostAsJsonAsync("/api/v1/drafts", new { kind = "thread", subcortex = "drafts-rbac", title = "No", body = "No." }),
            HttpStatusCode.Forbidden,
            "forbidden");
        var own = await CreateDraftAsync(authorClient, "drafts-rbac", "Reviewer's own proposal");
        await Expect.Problem(await authorClient.PostAsync($"/api/v1/drafts/{own}/approve", null), HttpStatusCode.Forbidden, "self-review");
        Assert.Equal(1L, await app.Database.CountAsync("audit_events", $"outcome = 'denied' AND principal_id = '{author.Id}'"));
        await Expect.Problem(await memberClient.PostAsync($"/api/v1/drafts/{own}/approve", null), HttpStatusCode.Forbidden, "forbidden");
        await Expect.Problem(
            await memberClient.PostAsJsonAsync($"/api/v1/drafts/{own}/reject", new { reason = "no" }), HttpStatusCode.Forbidden, "forbidden");
        await Expect.Problem(await otherClient.PostAsJsonAsync($"/api/v1/drafts/{own}/reject", new { }), HttpStatusCode.BadRequest, "validation");

        var rejected = await Expect.Json(
            await otherClient.PostAsJsonAsync($"/api/v1/drafts/{own}/reject", new { reason = "Duplicate of the vacuum thread." }), HttpStatusCode.OK);
        Assert.Equal("rejected", rejected.GetProperty("state").GetString());
        Assert.Equal("Duplicate of the vacuum thread.", rejected.GetProperty("reason").GetString());
        await Expect.Problem(await admin.PostAsync($"/api/v1/drafts/{own}/approve", null), HttpStatusCode.Conflict, "draft-already-decided");
        var read = await Expect.Json(await authorClient.GetAsync($"/api/v1/drafts/{own}"), HttpStatusCode.OK);
        Assert.Equal("Duplicate of the vacuum thread.", read.GetProperty("reason").GetString());
        Assert.Equal(0L, await app.Database.CountAsync("threads", "title = 'Reviewer''s own proposal'"));
        await Expect.Problem(await memberClient.GetAsync($"/api/v1/drafts/{own}"), HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task Concurrent_approvals_materialize_the_thread_exactly_once()
    {
        using var admin = app.AdminClient();
        await ThreadsTests.CreateSubcortexAsync(admin, "drafts-race");
        var agent = await app.CreatePrincipalAsync("drafts-race-agent", Role.Agent);
        var first = await app.CreatePrincipalAsync("drafts-race-r1", Role.Reviewer);
        var second = await app.CreatePrincipalAsync("drafts-race-r2", Role.Reviewer);
        using var agentClient = app.Client(agent.Key);
        var draft = await CreateDraftAsync(agentClient, "drafts-race", "Raced thread");

        var clients = Enumerable.Range(0, 8).Select(i => app.Client((i % 3) switch { 0 => first.Key, 1 => second.Key, _ => app.AdminKey })).ToList();
        try
        {
            // Hold the draft's row lock so that all eight requests pass their checks and queue at the same point, then let go.
            await using var blocker = await app.Database.OpenConnectionAsync();
            await using var transaction = await blocker.BeginTransactionAsync();
            await using (var lockDraft = new NpgsqlCommand($"SELECT 1 FROM drafts WHERE id = '{draft}' FOR UPDATE", blocker, transaction))
            {
                await lockDraft.ExecuteNonQueryAsync();
            }

            var requests = clients.Select(client => client.PostAsync($"/api/v1/drafts/{draft}/approve", null)).ToList();
            await app.Database.WaitForLockWaitersAsync(clients.Count, TimeSpan.FromSeconds(30));
            await transaction.CommitAsync();
            var responses = await Task.WhenAll(requests);

            var outcomes = new List<string>();
            foreach (var response in responses)
            {
                outcomes.Add((await Expect.Json(response, HttpStatusCode.OK)).GetProperty("materializedId").GetString()!);
            }

            Assert.Single(outcomes.Distinct());
            Assert.Equal(1L, await app.Database.CountAsync("threads", "title = 'Raced thread'"));
            Assert.Equal(outcomes[0], await app.Database.ScalarAsync("SELECT id FROM threads WHERE title = 'Raced thread'"));
            Assert.Equal(1L, await app.Database.CountAsync("audit_events", $"action = 'draft.approve' AND target_id = '{draft}'"));
        }
        finally
        {
            clients.ForEach(client => client.Dispose());
        }
    }

    [Fact]
    public async Task The_queue_filters_pages_and_decides_in_batches_with_per_item_results()
    {
        using var admin = app.AdminClient();
        await ThreadsTests.CreateSubcortexAsync(admin, "drafts-queue-a");
        await ThreadsTests.CreateSubcortexAsync(admin, "drafts-queue-b");
        var agent = await app.CreatePrincipalAsync("drafts-queue-agent", Role.Agent);
        using var agentClient = app.Client(agent.Key);
        var inA = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            inA.Add(await CreateDraftAsync(agentClient, "drafts-queue-a", $"Queued {i}"));
        }

        await CreateDraftAsync(agentClient, "drafts-queue-b", "Elsewhere");

        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await Expect.Json(
                await admin.GetAsync($"/api/v1/drafts?subcortex=drafts-queue-a&state=pending&kind=thread&author={agent.Id}&limit=2" + (cursor is null ? "" : "&cursor=" + cursor)),
                HttpStatusCode.OK);
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(d => d.GetProperty("id").GetString()!));
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);
        Assert.Equal(inA, seen);
        await Expect.Problem(await admin.GetAsync("/api/v1/drafts?state=maybe"), HttpStatusCode.BadRequest, "validation");

        var batch = await Expect.Json(
            await admin.PostAsJsonAsync("/api/v1/drafts/batch", new
            {
                items = new object[]
                {
                    new { id = inA[0], action = "approve" },
                    new { id = inA[1], action = "reject", reason = "Not useful." },
                    new { id = "01J00000000000000000000000", action = "approve" },
                    new { id = inA[2], action = "approve" },
                    new { id = inA[1], action = "approve" },
                },
            }),
            HttpStatusCode.OK);
        var results = batch.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal([200, 200, 404, 200, 409], results.Select(r => r.GetProperty("status").GetInt32()));
        Assert.Equal("approved", results[0].GetProperty("draft").GetProperty("state").GetString());
        Assert.Equal("rejected", results[1].GetProperty("draft").GetProperty("state").GetString());
        Assert.Equal("urn:cortex:problem:not-found", results[2].GetProperty("problemType").GetString());
        Assert.Equal("urn:cortex:problem:draft-already-decided", results[4].GetProperty("problemType").GetString());
        Assert.Equal(2L, await app.Database.CountAsync("threads", "title IN ('Queued 0', 'Queued 2')"));
        Assert.Equal(0L, await app.Database.CountAsync("threads", "title = 'Queued 1'"));

        var pending = await Expect.Json(await admin.GetAsync("/api/v1/drafts?subcortex=drafts-queue-a&state=pending"), HttpStatusCode.OK);
        Assert.Equal(inA.Skip(3), pending.GetProperty("items").EnumerateArray().Select(d => d.GetProperty("id").GetString()));
        var agentsView = await Expect.Json(await agentClient.GetAsync("/api/v1/drafts?state=pending"), HttpStatusCode.OK);
        Assert.Equal(3, agentsView.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Drafts_are_edited_before_approval_with_every_revision_kept()
    {
        using var admin = app.AdminClient();
        await ThreadsTests.CreateSubcortexAsync(admin, "drafts-edit");
        var agent = await app.CreatePrincipalAsync("drafts-edit-agent", Role.Agent);
        var bystander = await app.CreatePrincipalAsync("drafts-edit-bystander", Role.Agent);
        using var agentClient = app.Client(agent.Key);
        using var bystanderClient = app.Client(bystander.Key);
        var draft = await CreateDraftAsync(agentClient, "drafts-edit", "Rough title", "rough body");

        await Expect.Problem(
            await bystanderClient.PatchAsJsonAsync($"/api/v1/drafts/{draft}", new { body = "mine", version = 1 }), HttpStatusCode.NotFound, "not-found");
        var edited = await Expect.Json(
            await agentClient.PatchAsJsonAsync($"/api/v1/drafts/{draft}", new { title = "Better title", version = 1 }), HttpStatusCode.OK);
        Assert.Equal(2, edited.GetProperty("version").GetInt64());
        var reviewerEdit = await Expect.Json(
            await admin.PatchAsJsonAsync($"/api/v1/drafts/{draft}", new { body = "Polished body.", version = 2 }), HttpStatusCode.OK);
        Assert.Equal(3, reviewerEdit.GetProperty("version").GetInt64());
        await Expect.Problem(
            await agentClient.PatchAsJsonAsync($"/api/v1/drafts/{draft}", new { body = "lost", version = 2 }), HttpStatusCode.Conflict, "version-conflict");

        var revisions = await Expect.Json(await admin.GetAsync($"/api/v1/drafts/{draft}/revisions"), HttpStatusCode.OK);
        Assert.Equal(
            [(1L, "Rough title", "rough body"), (2L, "Better title", "rough body")],
            revisions.EnumerateArray().Select(r => (r.GetProperty("version").GetInt64(), r.GetProperty("title").GetString(), r.GetProperty("body").GetString())));

        var approved = await Expect.Json(await admin.PostAsync($"/api/v1/drafts/{draft}/approve", null), HttpStatusCode.OK);
        var thread = await Expect.Json(await admin.GetAsync($"/api/v1/threads/{approved.GetProperty("materializedId").GetString()}"), HttpStatusCode.OK);
        Assert.Equal("Better title", thread.GetProperty("title").GetString());
        Assert.Equal("Polished body.", thread.GetProperty("body").GetString());
        await Expect.Problem(
            await agentClient.PatchAsJsonAsync($"/api/v1/drafts/{draft}", new { body = "late", version = 4 }), HttpStatusCode.Conflict, "draft-already-decided");
    }

    internal static async Task<string> CreateDraftAsync(HttpClient client, string subcortex, string title, string body = "Draft body.")
    {
        var created = await Expect.Json(
            await client.PostAsJsonAsync("/api/v1/drafts", new { kind = "thread", subcortex, title, body }), HttpStatusCode.Created);
        return created.GetProperty("id").GetString()!;
    }
}
