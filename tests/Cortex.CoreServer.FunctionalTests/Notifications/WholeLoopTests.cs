using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Cortex.CoreServer.FunctionalTests.Infrastructure;
using Cortex.SharedModel.Principals;
using Xunit;

namespace Cortex.CoreServer.FunctionalTests.Notifications;

/// <summary>Issue 6, "Done when": the whole loop through the API alone, with the worker and a live client.</summary>
[Collection(LiveCortexCollection.Name)]
public sealed class WholeLoopTests(LiveCortex live)
{
    [Fact]
    public async Task Observations_draft_review_canon_search_then_a_task_is_assigned_and_notified_live()
    {
        using var admin = live.AdminClient();
        await ThreadsTests.CreateSubcortexAsync(admin, "loop");
        await Expect.Status(
            await admin.PutAsJsonAsync("/api/v1/subcortexes/loop/templates/runbook", new { minEvidence = 2, evidenceKinds = new[] { "thread", "observation" } }),
            HttpStatusCode.OK);
        var agent = await live.CreatePrincipalAsync("loop-agent", Role.Agent);
        var reviewer = await live.CreatePrincipalAsync("loop-reviewer", Role.Reviewer);
        var writer = await live.CreatePrincipalAsync("loop-writer", Role.Member);
        using var agentClient = live.Client(agent.Key);
        using var reviewerClient = live.Client(reviewer.Key);
        using var writerClient = live.Client(writer.Key);
        var reviewRequests = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        var assignments = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var reviewerHub = await live.ConnectAsync(reviewer.Key, n =>
        {
            if (n.GetProperty("kind").GetString() == "reviewRequested")
            {
                reviewRequests.TrySetResult(n);
            }
        });
        await using var agentHub = await live.ConnectAsync(agent.Key, n =>
        {
            if (n.GetProperty("kind").GetString() == "taskAssigned")
            {
                assignments.TrySetResult(n);
            }
        });

        // The agent records what it saw and proposes a thread; the draft gate holds it for review.
        var batch = await Expect.Json(
            await agentClient.PostAsJsonAsync("/api/v1/observations/batch", new
            {
                items = new[]
                {
                    new { clientId = "lag-1", subcortex = "loop", kind = "metric.alert", source = "pg/replica-2", text = "Replication lag 42 s", occurredAt = "2026-11-27T10:00:00Z" },
                    new { clientId = "lag-2", subcortex = "loop", kind = "metric.alert", source = "pg/replica-2", text = "Replication lag back to 0 s after restart", occurredAt = "2026-11-27T10:05:00Z" },
                },
            }),
            HttpStatusCode.OK);
        var observation = batch.GetProperty("results")[0].GetProperty("id").GetString()!;
        var draft = await Expect.Json(
            await agentClient.PostAsJsonAsync(
                "/api/v1/subcortexes/loop/threads",
                new { title = "Replication lag spike", body = "Replication lag grew after the vacuum job; restarting the replica fixed it.", kind = "incident" }),
            HttpStatusCode.Accepted);
        var draftId = draft.GetProperty("id").GetString()!;

        // The reviewer hears about it live, and approves.
        var request = await reviewRequests.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(draftId, request.GetProperty("subjectId").GetString());
        var approved = await Expect.Json(await reviewerClient.PostAsync($"/api/v1/drafts/{draftId}/approve", null), HttpStatusCode.OK);
        var thread = approved.GetProperty("materializedId").GetString()!;

        // A runbook version citing the thread and the observation becomes canon.
        var artifact = await ArtifactsTests.CreateArtifactAsync(writerClient, "loop", "Replication lag runbook", "runbook");
        var version = await Expect.Json(
            await writerClient.PostAsJsonAsync($"/api/v1/artifacts/{artifact}/versions", new
            {
                body = "# Replication lag\nCheck the vacuum job, then restart the replica.",
                evidence = new[] { new { kind = "thread", target = thread }, new { kind = "observation", target = observation } },
            }),
            HttpStatusCode.Created);
        var number = version.GetProperty("number").GetInt32();
        await Expect.Status(await reviewerClient.PostAsync($"/api/v1/artifacts/{artifact}/versions/{number}/accept", null), HttpStatusCode.OK);

        var search = await Expect.Json(await agentClient.GetAsync("/api/v1/search?q=replication%20lag&mode=keyword"), HttpStatusCode.OK);
        var hits = search.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(("artifact", artifact), (hits[0].GetProperty("kind").GetString(), hits[0].GetProperty("id").GetString()));
        Assert.Contains(hits, hit => hit.GetProperty("id").GetString() == thread);

        // Follow-up work goes to the agent, which is told at once and may work on it.
        var task = await Expect.Json(
            await reviewerClient.PostAsJsonAsync("/api/v1/subcortexes/loop/tasks", new
            {
                title = "Alert on replication lag above 30 s",
                assigneeId = agent.Id,
                linkKind = "artifact",
                linkId = artifact,
            }),
            HttpStatusCode.Created);
        var taskId = task.GetProperty("id").GetString()!;
        var notified = await assignments.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(taskId, notified.GetProperty("subjectId").GetString());
        Assert.Equal(reviewer.Id, notified.GetProperty("actorId").GetString());
        var mine = await Expect.Json(await agentClient.GetAsync("/api/v1/tasks?assignee=me&state=open"), HttpStatusCode.OK);
        Assert.Equal(taskId, Assert.Single(mine.GetProperty("items").EnumerateArray()).GetProperty("id").GetString());
        await Expect.Status(
            await agentClient.PatchAsJsonAsync($"/api/v1/tasks/{taskId}", new { state = "done", version = 1 }), HttpStatusCode.OK);
    }
}
