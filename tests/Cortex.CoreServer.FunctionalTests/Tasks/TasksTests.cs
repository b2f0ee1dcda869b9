using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Cortex.CoreServer.FunctionalTests.Infrastructure;
using Cortex.SharedModel.Principals;
using Xunit;

namespace Cortex.CoreServer.FunctionalTests.Tasks;

/// <summary>Tasks through HTTP: lifecycle, who may do what, filters and paging, concurrency, the feed and the audit log.</summary>
public sealed class TasksTests(CortexApp app) : IClassFixture<CortexApp>
{
    [Fact]
    public async Task A_task_goes_from_open_to_done_with_its_assignee_due_date_link_feed_and_audit()
    {
        using var admin = app.AdminClient();
        await ThreadsTests.CreateSubcortexAsync(admin, "life");
        var thread = await ThreadsTests.CreateThreadAsync(admin, "life", "Outage on Tuesday");
        var member = await app.CreatePrincipalAsync("life-member", Role.Member);
        var bot = await app.CreatePrincipalAsync("life-bot", Role.Agent);
        using var memberClient = app.Client(member.Key);
        using var botClient = app.Client(bot.Key);
        var head = (await Expect.Json(await admin.GetAsync("/api/v1/changes?after=0&limit=1"), HttpStatusCode.OK)).GetProperty("head").GetInt64();

        var created = await memberClient.PostAsJsonAsync("/api/v1/subcortexes/life/tasks", new
        {
            title = "Write the postmortem",
            description = "Summarize the thread.",
            assigneeId = bot.Id,
            dueAt = "2026-12-01T17:00:00+01:00",
            linkKind = "thread",
            linkId = thread,
        });
        var task = await Expect.Json(created, HttpStatusCode.Created);
        var id = task.GetProperty("id").GetString()!;
        Assert.Equal("\"1\"", created.Headers.ETag?.Tag);
        Assert.Equal("open", task.GetProperty("state").GetString());
        Assert.Equal(bot.Id, task.GetProperty("assigneeId").GetString());
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 16, 0, 0, TimeSpan.Zero), task.GetProperty("dueAt").GetDateTimeOffset());
        Assert.Equal("thread", task.GetProperty("linkKind").GetString());
        Assert.Equal(member.Id, task.GetProperty("createdBy").GetString());

        var started = await Expect.Json(
            await botClient.PatchAsJsonAsync($"/api/v1/tasks/{id}", new { state = "inProgress", version = 1 }), HttpStatusCode.OK);
        Assert.Equal("inProgress", started.GetProperty("state").GetString());
        var done = await Expect.Json(
            await botClient.PatchAsJsonAsync($"/api/v1/tasks/{id}", new { state = "done", dueAt = "", version = 2 }), HttpStatusCode.OK);
        Assert.Equal("done", done.GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Null, done.GetProperty("dueAt").ValueKind);
        Assert.NotEqual(JsonValueKind.Null, done.GetProperty("completedAt").ValueKind);
        var reopened = await Expect.Json(
            await memberClient.PatchAsJsonAsync($"/api/v1/tasks/{id}", new { state = "open", assigneeId = "", version = 3 }), HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.Null, reopened.GetProperty("completedAt").ValueKind);
        Assert.Equal(JsonValueKind.Null, reopened.GetProperty("assigneeId").ValueKind);
        Assert.Equal(4, reopened.GetProperty("version").GetInt64());

        var fetched = await Expect.Json(await botClient.GetAsync($"/api/v1/tasks/{id}"), HttpStatusCode.OK);
        Assert.Equal(4, fetched.GetProperty("version").GetInt64());
        var feed = await Expect.Json(await admin.GetAsync($"/api/v1/changes?after={head}"), HttpStatusCode.OK);
        Assert.Equal(
            ["created 1", "updated 2", "updated 3", "updated 4"],
            feed.GetProperty("changes").EnumerateArray()
                .Where(c => c.GetProperty("entity").GetString() == "task" && c.GetProperty("entityId").GetString() == id)
                .Select(c => $"{c.GetProperty("operation").GetString()} {c.GetProperty("version").GetInt64()}"));
        Assert.Equal(1, await app.Database.CountAsync("audit_events", $"action = 'task.create' AND target_id = '{id}' AND principal_id = '{member.Id}'"));
        Assert.Equal(3, await app.Database.CountAsync("audit_events", $"action = 'task.update' AND target_id = '{id}'"));
    }

    [Theory]
    [InlineData(Role.Reviewer, true, true)]
    [InlineData(Role.Member, true, true)]
    [InlineData(Role.Agent, true, false)]
    [InlineData(Role.Reader, false, false)]
    public async Task Who_may_create_tasks_and_update_someone_elses(Role role, bool mayCreate, bool mayUpdateOthers)
    {
        var tag = "tperm-" + role.ToString().ToLowerInvariant();
        using var admin = app.AdminClient();
        await ThreadsTests.CreateSubcortexAsync(admin, tag);
        var subject = await app.CreatePrincipalAsync(tag, role);
        var other = await app.CreatePrincipalAsync(tag + "-other", Role.Member);
        using var client = app.Client(subject.Key);
        var othersTask = await CreateTaskAsync(admin, tag, "Someone else's", other.Id);

        var created = await client.PostAsJsonAsync($"/api/v1/subcortexes/{tag}/tasks", new { title = "Mine" });
        await Expect.Status(created, mayCreate ? HttpStatusCode.Created : HttpStatusCode.Forbidden);
        var update = await client.PatchAsJsonAsync($"/api/v1/tasks/{othersTask}", new { state = "blocked", version = 1 });
        if (mayUpdateOthers)
        {
            await Expect.Status(update, HttpStatusCode.OK);
        }
        else
        {
            await Expect.Problem(update, HttpStatusCode.Forbidden, "forbidden");
        }

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/v1/tasks/{othersTask}")).StatusCode);
    }

    [Fact]
    public async Task An_agent_updates_the_tasks_assigned_to_it_and_loses_that_when_reassigned()
    {
        using var admin = app.AdminClient();
        await ThreadsTests.CreateSubcortexAsync(admin, "agent-own");
        var bot = await app.CreatePrincipalAsync("agent-own-bot", Role.Agent);
        var human = await app.CreatePrincipalAsync("agent-own-human", Role.Member);
        using var botClient = app.Client(bot.Key);
        var task = await CreateTaskAsync(admin, "agent-own", "Triage alerts", bot.Id);

        // Handing its own task to a human is an update of its own task, and the last one it may make.
        await Expect.Status(
            await botClient.PatchAsJsonAsync($"/api/v1/tasks/{task}", new { assigneeId = human.Id, version = 1 }), HttpStatusCode.OK);
        await Expect.Problem(
            await botClient.PatchAsJsonAsync($"/api/v1/tasks/{task}", new { state = "done", version = 2 }), HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task Bad_fields_stale_versions_and_unworkable_assignees_are_refused_with_problems()
    {
        using var admin = app.AdminClient();
        await ThreadsTests.CreateSubcortexAsync(admin, "bad-tasks");
        await ThreadsTests.CreateSubcortexAsync(admin, "bad-elsewhere");
        var elsewhere = await ThreadsTests.CreateThreadAsync(admin, "bad-elsewhere", "Not here");
        var reader = await app.CreatePrincipalAsync("bad-reader", Role.Reader);

        var invalid = await Expect.Problem(
            await admin.PostAsJsonAsync("/api/v1/subcortexes/bad-tasks/tasks", new { title = "", dueAt = "tomorrow", assigneeId = "nobody" }),
            HttpStatusCode.BadRequest,
            "validation");
        Assert.Equal(["assigneeId", "dueAt", "title"], invalid.GetProperty("errors").EnumerateObject().Select(e => e.Name).Order());
        await Expect.Problem(
            await admin.PostAsJsonAsync("/api/v1/subcortexes/bad-tasks/tasks", new { title = "No offset", dueAt = "2026-12-01T17:00:00" }),
            HttpStatusCode.BadRequest,
            "validation");
        var readerProblem = await Expect.Problem(
            await admin.PostAsJsonAsync("/api/v1/subcortexes/bad-tasks/tasks", new { title = "For a reader", assigneeId = reader.Id }),
            HttpStatusCode.BadRequest,
            "validation");
        Assert.Contains("@bad-reader", readerProblem.GetProperty("errors").GetProperty("assigneeId")[0].GetString(), StringComparison.Ordinal);
        await Expect.Problem(
            await admin.PostAsJsonAsync("/api/v1/subcortexes/bad-tasks/tasks", new { title = "Cross link", linkKind = "thread", linkId = elsewhere }),
            HttpStatusCode.BadRequest,
            "validation");

        var task = await CreateTaskAsync(admin, "bad-tasks", "Versioned", null);
        await Expect.Status(await admin.PatchAsJsonAsync($"/api/v1/tasks/{task}", new { title = "v2", version = 1 }), HttpStatusCode.OK);
        await Expect.Problem(
            await admin.PatchAsJsonAsync($"/api/v1/tasks/{task}", new { title = "stale", version = 1 }), HttpStatusCode.Conflict, "version-conflict");
        await Expect.Problem(
            await admin.PatchAsJsonAsync($"/api/v1/tasks/{task}", new { title = "none" }), (HttpStatusCode)428, "precondition-required");
        using var ifMatch = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/tasks/{task}") { Content = JsonContent.Create(new { title = "old tag" }) };
        ifMatch.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
        await Expect.Problem(await admin.SendAsync(ifMatch), HttpStatusCode.PreconditionFailed, "precondition-failed");
        await Expect.Problem(
            await admin.PatchAsJsonAsync($"/api/v1/tasks/{task}", new { state = "finished", version = 2 }), HttpStatusCode.BadRequest, "validation");
        await Expect.Problem(await admin.GetAsync("/api/v1/tasks/01J0000000000000000000000Z"), HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task The_list_filters_by_assignee_state_subcortex_and_due_date_and_pages_with_a_cursor()
    {
        using var admin = app.AdminClient();
        await ThreadsTests.CreateSubcortexAsync(admin, "list-a");
        await ThreadsTests.CreateSubcortexAsync(admin, "list-b");
        var worker = await app.CreatePrincipalAsync("list-worker", Role.Member);
        using var workerClient = app.Client(worker.Key);
        var early = await CreateTaskAsync(admin, "list-a", "Early", worker.Id, "2026-03-01T00:00:00Z");
        var late = await CreateTaskAsync(admin, "list-a", "Late", worker.Id, "2026-09-01T00:00:00Z");
        var blocked = await CreateTaskAsync(admin, "list-b", "Blocked", worker.Id);
        await Expect.Status(await admin.PatchAsJsonAsync($"/api/v1/tasks/{blocked}", new { state = "blocked", version = 1 }), HttpStatusCode.OK);
        await CreateTaskAsync(admin, "list-b", "Unassigned", null);

        Assert.Equal([blocked, late, early], await IdsAsync(workerClient, "/api/v1/tasks?assignee=me"));
        Assert.Equal([blocked], await IdsAsync(workerClient, "/api/v1/tasks?assignee=me&state=blocked,done"));
        Assert.Equal([late, early], await IdsAsync(workerClient, "/api/v1/tasks?assignee=me&subcortex=list-a&state=open"));
        Assert.Equal([early], await IdsAsync(workerClient, "/api/v1/tasks?assignee=me&dueBefore=2026-06-01T00:00:00Z"));

        var first = await Expect.Json(await workerClient.GetAsync("/api/v1/tasks?assignee=me&limit=2"), HttpStatusCode.OK);
        Assert.Equal([blocked, late], first.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("id").GetString()));
        var cursor = first.GetProperty("nextCursor").GetString();
        var second = await Expect.Json(await workerClient.GetAsync($"/api/v1/tasks?assignee=me&limit=2&cursor={cursor}"), HttpStatusCode.OK);
        Assert.Equal([early], second.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("id").GetString()));
        Assert.Equal(JsonValueKind.Null, second.GetProperty("nextCursor").ValueKind);

        await Expect.Problem(await workerClient.GetAsync("/api/v1/tasks?state=later"), HttpStatusCode.BadRequest, "validation");
        await Expect.Problem(await workerClient.GetAsync("/api/v1/tasks?assignee=someone"), HttpStatusCode.BadRequest, "validation");
    }

    [Fact]
    public async Task Tasks_of_a_private_subcortex_are_hidden_from_non_members()
    {
        using var admin = app.AdminClient();
        await ThreadsTests.CreateSubcortexAsync(admin, "task-secret", isPrivate: true);
        var insider = await app.CreatePrincipalAsync("task-insider", Role.Member);
        var outsider = await app.CreatePrincipalAsync("task-outsider", Role.Member);
        await Expect.Status(await admin.PutAsync($"/api/v1/subcortexes/task-secret/members/{insider.Id}", null), HttpStatusCode.NoContent);
        using var outsiderClient = app.Client(outsider.Key);
        using var insiderClient = app.Client(insider.Key);

        await Expect.Problem(
            await admin.PostAsJsonAsync("/api/v1/subcortexes/task-secret/tasks", new { title = "Secret", assigneeId = outsider.Id }),
            HttpStatusCode.BadRequest,
            "validation");
        var task = await CreateTaskAsync(admin, "task-secret", "Secret", insider.Id);

        Assert.Equal([task], await IdsAsync(insiderClient, "/api/v1/tasks?subcortex=task-secret"));
        Assert.DoesNotContain(task, await IdsAsync(outsiderClient, "/api/v1/tasks"));
        await Expect.Problem(await outsiderClient.GetAsync($"/api/v1/tasks/{task}"), HttpStatusCode.Forbidden, "forbidden");
        await Expect.Problem(
            await outsiderClient.PatchAsJsonAsync($"/api/v1/tasks/{task}", new { state = "done", version = 1 }), HttpStatusCode.Forbidden, "forbidden");
    }

    internal static async Task<string> CreateTaskAsync(HttpClient client, string subcortex, string title, string? assigneeId, string? dueAt = null)
    {
        var created = await Expect.Json(
            await client.PostAsJsonAsync($"/api/v1/subcortexes/{subcortex}/tasks", new { title, assigneeId, dueAt }), HttpStatusCode.Created);
        return created.GetProperty("id").GetString()!;
    }

    private static async Task<List<string>> IdsAsync(HttpClient client, string url)
    {
        var page = await Expect.Json(await client.GetAsync(url), HttpStatusCode.OK);
        return [.. page.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("id").GetString()!)];
    }
}
