using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Cortex.CoreServer.FunctionalTests.Infrastructure;
using Cortex.CoreServer.FunctionalTests.Tasks;
using Cortex.SharedModel.Principals;
using Microsoft.AspNetCore.SignalR.Client;
using Xunit;

namespace Cortex.CoreServer.FunctionalTests.Notifications;

/// <summary>Notifications made by the worker from the change feed, read over HTTP and pushed live over SignalR.</summary>
[Collection(LiveCortexCollection.Name)]
public sealed class NotificationsTests(LiveCortex live)
{
    [Fact]
    public async Task Assigning_a_task_pushes_a_notification_live_to_the_assignee_alone()
    {
        using var admin = live.AdminClient();
        await ThreadsTests.CreateSubcortexAsync(admin, "assign");
        var alice = await live.CreatePrincipalAsync("assign-alice", Role.Member);
        var bob = await live.CreatePrincipalAsync("assign-bob", Role.Member);
        using var aliceClient = live.Client(alice.Key);
        using var bobClient = live.Client(bob.Key);
        var pushed = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        var bobPushes = 0;
        await using var aliceHub = await live.ConnectAsync(alice.Key, n => pushed.TrySetResult(n));
        await using var bobHub = await live.ConnectAsync(bob.Key, _ => Interlocked.Increment(ref bobPushes));

        var task = await TasksTests.CreateTaskAsync(admin, "assign", "Rotate the certificates", alice.Id);

        var notification = await pushed.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("taskAssigned", notification.GetProperty("kind").GetString());
        Assert.Equal(("task", task), (notification.GetProperty("subjectEntity").GetString(), notification.GetProperty("subjectId").GetString()));
        Assert.Equal(alice.Id, notification.GetProperty("principalId").GetString());
        Assert.Equal(live.AdminId, notification.GetProperty("actorId").GetString());
        Assert.Equal("Rotate the certificates", notification.GetProperty("title").GetString());
        Assert.Equal(JsonValueKind.Null, notification.GetProperty("readAt").ValueKind);

        var id = notification.GetProperty("id").GetString()!;
        var listed = await Expect.Json(await aliceClient.GetAsync("/api/v1/notifications"), HttpStatusCode.OK);
        Assert.Equal(id, Assert.Single(listed.GetProperty("items").EnumerateArray()).GetProperty("id").GetString());
        Assert.Equal(1, (await Expect.Json(await aliceClient.GetAsync("/api/v1/notifications/unread-count"), HttpStatusCode.OK)).GetProperty("count").GetInt64());

        // Private: nobody else lists, reads or marks it, and only its principal's feed carries it.
        Assert.Empty((await Expect.Json(await bobClient.GetAsync("/api/v1/notifications"), HttpStatusCode.OK)).GetProperty("items").EnumerateArray());
        Assert.DoesNotContain(
            id, (await Expect.Json(await admin.GetAsync("/api/v1/notifications"), HttpStatusCode.OK)).GetProperty("items").EnumerateArray().Select(n => n.GetProperty("id").GetString()));
        await Expect.Problem(await bobClient.PostAsync($"/api/v1/notifications/{id}/read", null), HttpStatusCode.NotFound, "not-found");
        Assert.Contains(id, await FeedIdsAsync(aliceClient, "notification"));
        Assert.DoesNotContain(id, await FeedIdsAsync(bobClient, "notification"));
        Assert.DoesNotContain(id, await FeedIdsAsync(admin, "notification"));
        Assert.Equal(0, Volatile.Read(ref bobPushes));

        var read = await Expect.Json(await aliceClient.PostAsync($"/api/v1/notifications/{id}/read", null), HttpStatusCode.OK);
        Assert.NotEqual(JsonValueKind.Null, read.GetProperty("readAt").ValueKind);
        Assert.Equal(2, read.GetProperty("version").GetInt64());
        var again = await Expect.Json(await aliceClient.PostAsync($"/api/v1/notifications/{id}/read", null), HttpStatusCode.OK);
        Assert.Equal(read.GetProperty("readAt").GetDateTimeOffset(), again.GetProperty("readAt").GetDateTimeOffset());
        Assert.Equal(1L, await live.ScalarAsync<long>(
            $"SELECT count(*) FROM audit_events WHERE action = 'notification.read' AND target_id = '{id}' AND principal_id = '{alice.Id}'"));
        Assert.Equal(0, (await Expect.Json(await aliceClient.GetAsync("/api/v1/notifications/unread-count"), HttpStatusCode.OK)).GetProperty("count").GetInt64());
    }

    [Fact]
    public async Task The_hub_serves_a_signed_in_browser_session_and_refuses_anonymous_clients()
    {
        using var admin = live.AdminClient();
        await ThreadsTests.CreateSubcortexAsync(admin, "web");
        var wes = await live.CreatePrincipalAsync("web-wes", Role.Member);
        await Expect.Status(
            await admin.PutAsJsonAsync($"/api/v1/principals/{wes.Id}/password", new { password = "correct horse battery staple" }), HttpStatusCode.NoContent);
        using var browser = new HttpClient { BaseAddress = live.Url };
        var signIn = await browser.PostAsJsonAsync("/api/v1/session", new { handle = wes.Handle, password = "correct horse battery staple" });
        var session = await Expect.Json(signIn, HttpStatusCode.OK);
        var cookie = signIn.Headers.GetValues("Set-Cookie").Single().Split(';')[0].Split('=', 2);

        var pushed = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(live.Url, "/hubs/notifications"), options =>
            {
                options.Cookies.Add(new Cookie(cookie[0], cookie[1], "/", live.Url.Host));
                options.Headers["X-CSRF-Token"] = session.GetProperty("csrfToken").GetString()!;
            })
            .Build();
        connection.On<JsonElement>("notification", n => pushed.TrySetResult(n));
        await using (connection)
        {
            await connection.StartAsync();
            var task = await TasksTests.CreateTaskAsync(admin, "web", "Review the landing page", wes.Id);
            Assert.Equal(task, (await pushed.Task.WaitAsync(TimeSpan.FromSeconds(30))).GetProperty("subjectId").GetString());
        }

        await using var anonymous = new HubConnectionBuilder().WithUrl(new Uri(live.Url, "/hubs/notifications")).Build();
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => anonymous.StartAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task Assigning_a_task_to_oneself_notifies_nobody_and_reassigning_notifies_the_new_assignee()
    {
        using var admin = live.AdminClient();
        await ThreadsTests.CreateSubcortexAsync(admin, "self");
        var carol = await live.CreatePrincipalAsync("self-carol", Role.Member);
        var dan = await live.CreatePrincipalAsync("self-dan", Role.Member);
        using var carolClient = live.Client(carol.Key);
        var task = await TasksTests.CreateTaskAsync(carolClient, "self", "My own chore", carol.Id);
        await live.SettledAsync();
        Assert.Equal(0, await CountAsync($"subject_id = '{task}'"));

        await Expect.Status(await carolClient.PatchAsJsonAsync($"/api/v1/tasks/{task}", new { assigneeId = dan.Id, version = 1 }), HttpStatusCode.OK);
        await Expect.Status(await carolClient.PatchAsJsonAsync($"/api/v1/tasks/{task}", new { title = "Renamed", version = 2 }), HttpStatusCode.OK);
        await live.SettledAsync();
        Assert.Equal(1, await CountAsync($"subject_id = '{task}' AND principal_id = '{dan.Id}' AND kind = 'taskassigned' AND actor_id = '{carol.Id}'"));
        Assert.Equal(1, await CountAsync($"subject_id = '{task}'"));
    }

    [Fact]
    public async Task Mentions_notify_readers_once_and_ignore_code_unknown_handles_addresses_and_outsiders()
    {
        using var admin = live.AdminClient();
        await ThreadsTests.CreateSubcortexAsync(admin, "mentions");
        await ThreadsTests.CreateSubcortexAsync(admin, "mentions-private", isPrivate: true);
        var author = await live.CreatePrincipalAsync("m-author", Role.Member);
        var alice = await live.CreatePrincipalAsync("m-alice", Role.Member);
        var bob = await live.CreatePrincipalAsync("m-bob", Role.Reader);
        var carol = await live.CreatePrincipalAsync("m-carol", Role.Member);
        var erin = await live.CreatePrincipalAsync("m-erin", Role.Member);
        var frank = await live.CreatePrincipalAsync("m-frank", Role.Member);
        var outsider = await live.CreatePrincipalAsync("m-outsider", Role.Member);
        foreach (var member in new[] { author, alice })
        {
            await Expect.Status(await admin.PutAsync($"/api/v1/subcortexes/mentions-private/members/{member.Id}", null), HttpStatusCode.NoContent);
        }

        using var authorClient = live.Client(author.Key);
        var thread = await ThreadsTests.CreateThreadAsync(
            authorClient,
            "mentions",
            "Deploy freeze",
            "Hi @m-alice and @M-Bob, see `@m-carol`.\n\n```\n@m-erin\n```\n\n    @m-erin indented\n\nMail x@m-frank.com, ask @nobody-here or @m-author.");
        var comment = await Expect.Json(
            await authorClient.PostAsJsonAsync($"/api/v1/threads/{thread}/comments", new { body = "Also @m-carol, and @m-alice again." }),
            HttpStatusCode.Created);
        // The fan-out reads an item as it is when the job runs (a mention edited away before that notifies nobody),
        // so let the first version be seen before editing it.
        await live.SettledAsync();
        await Expect.Status(
            await authorClient.PatchAsJsonAsync($"/api/v1/threads/{thread}", new { body = "Hi @m-alice, now @m-erin too.", version = 1 }), HttpStatusCode.OK);
        var secret = await ThreadsTests.CreateThreadAsync(authorClient, "mentions-private", "Secret", "For @m-alice and @m-outsider.");
        await live.SettledAsync();

        Assert.Equal(
            Sorted($"{alice.Id} thread", $"{bob.Id} thread", $"{erin.Id} thread"),
            await RecipientsAsync($"subject_id = '{thread}' AND kind = 'mention'"));
        Assert.Equal(
            Sorted($"{alice.Id} comment", $"{carol.Id} comment"),
            await RecipientsAsync($"subject_id = '{comment.GetProperty("id").GetString()}' AND kind = 'mention'"));
        Assert.Equal([$"{alice.Id} thread"], await RecipientsAsync($"subject_id = '{secret}'"));
        Assert.Equal(0, await CountAsync($"principal_id IN ('{frank.Id}', '{outsider.Id}', '{author.Id}')"));
    }

    [Fact]
    public async Task Replaying_the_feed_creates_no_second_notification()
    {
        using var admin = live.AdminClient();
        await ThreadsTests.CreateSubcortexAsync(admin, "replay");
        var gina = await live.CreatePrincipalAsync("replay-gina", Role.Member);
        var before = await live.ScalarAsync<long>("SELECT position FROM feed_head WHERE id = 1");
        var task = await TasksTests.CreateTaskAsync(admin, "replay", "Replay me, @replay-gina", gina.Id);
        await ThreadsTests.CreateThreadAsync(admin, "replay", "Ping", "Ping @replay-gina");
        await live.SettledAsync();
        var first = await RecipientsAsync($"principal_id = '{gina.Id}'");
        Assert.Equal(3, first.Count);

        // A worker that died after its work but before recording it runs the same jobs again: same outcome.
        await using (var connection = await live.Database.OpenConnectionAsync())
        await using (var rewind = new Npgsql.NpgsqlCommand($"UPDATE notification_fanout_cursor SET position = {before}", connection))
        {
            await rewind.ExecuteNonQueryAsync();
        }

        await live.SettledAsync();
        Assert.Equal(first, await RecipientsAsync($"principal_id = '{gina.Id}'"));
        Assert.Equal(1, await CountAsync($"subject_id = '{task}' AND kind = 'taskassigned'"));
    }

    [Fact]
    public async Task A_new_draft_asks_reviewers_to_review_reminds_them_once_when_pending_too_long_and_tells_the_author_the_decision()
    {
        using var admin = live.AdminClient();
        await ThreadsTests.CreateSubcortexAsync(admin, "review");
        var reviewer = await live.CreatePrincipalAsync("review-rita", Role.Reviewer);
        var member = await live.CreatePrincipalAsync("review-mo", Role.Member);
        var bot = await live.CreatePrincipalAsync("review-bot", Role.Agent);
        using var botClient = live.Client(bot.Key);
        var draft = await DraftsTests.CreateDraftAsync(botClient, "review", "Agent's finding");
        await live.SettledAsync();

        // Every reviewer and admin (other test classes' reviewers included), never members or the author.
        var requested = await RecipientsAsync($"subject_id = '{draft}' AND kind = 'reviewrequested'");
        Assert.Contains($"{live.AdminId} draft", requested);
        Assert.Contains($"{reviewer.Id} draft", requested);
        Assert.Equal(0, await CountAsync($"principal_id IN ('{member.Id}', '{bot.Id}')"));

        await live.RemindersRanAsync(2);
        Assert.Equal(0, await CountAsync($"subject_id = '{draft}' AND kind = 'reviewdue'"));
        await using (var connection = await live.Database.OpenConnectionAsync())
        await using (var age = new Npgsql.NpgsqlCommand($"UPDATE drafts SET created_at = now() - interval '2 hours' WHERE id = '{draft}'", connection))
        {
            await age.ExecuteNonQueryAsync();
        }

        await LiveCortex.EventuallyAsync(
            async () => await CountAsync($"subject_id = '{draft}' AND kind = 'reviewdue'") == requested.Count, "the review-due reminders");
        await live.RemindersRanAsync(3);
        Assert.Equal(requested, await RecipientsAsync($"subject_id = '{draft}' AND kind = 'reviewdue'"));

        // The decision goes back to the author.
        using var reviewerClient = live.Client(reviewer.Key);
        await Expect.Status(await reviewerClient.PostAsync($"/api/v1/drafts/{draft}/approve", null), HttpStatusCode.OK);
        await live.SettledAsync();
        Assert.Equal(1, await CountAsync($"subject_id = '{draft}' AND kind = 'draftdecided' AND principal_id = '{bot.Id}' AND actor_id = '{reviewer.Id}'"));
        Assert.Equal(0, await CountAsync($"principal_id = '{member.Id}'"));
    }

    [Fact]
    public async Task An_open_task_due_soon_reminds_its_assignee_once_per_due_date()
    {
        using var admin = live.AdminClient();
        await ThreadsTests.CreateSubcortexAsync(admin, "due");
        var hal = await live.CreatePrincipalAsync("due-hal", Role.Member);
        var soon = DateTimeOffset.UtcNow.AddHours(2).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var later = DateTimeOffset.UtcNow.AddDays(5).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var dueSoon = await TasksTests.CreateTaskAsync(admin, "due", "Renew the domain", hal.Id, soon);
        var dueLater = await TasksTests.CreateTaskAsync(admin, "due", "Plan the offsite", hal.Id, later);
        var closed = await TasksTests.CreateTaskAsync(admin, "due", "Already done", hal.Id);
        await Expect.Status(await admin.PatchAsJsonAsync($"/api/v1/tasks/{closed}", new { state = "done", dueAt = soon, version = 1 }), HttpStatusCode.OK);

        await LiveCortex.EventuallyAsync(
            async () => await CountAsync($"subject_id = '{dueSoon}' AND kind = 'taskduesoon'") == 1, "the due-soon reminder");
        await live.RemindersRanAsync(3);
        Assert.Equal(1, await CountAsync($"subject_id = '{dueSoon}' AND kind = 'taskduesoon'"));
        Assert.Equal(0, await CountAsync($"subject_id IN ('{dueLater}', '{closed}') AND kind = 'taskduesoon'"));

        await Expect.Status(await admin.PatchAsJsonAsync($"/api/v1/tasks/{dueSoon}", new { dueAt = later, version = 1 }), HttpStatusCode.OK);
        await Expect.Status(await admin.PatchAsJsonAsync($"/api/v1/tasks/{dueSoon}", new { dueAt = soon.Replace("Z", "+00:00", StringComparison.Ordinal), version = 2 }), HttpStatusCode.OK);
        await live.RemindersRanAsync(2);
        Assert.Equal(1, await CountAsync($"subject_id = '{dueSoon}' AND kind = 'taskduesoon'"));
    }

    [Fact]
    public async Task Unread_come_first_pages_follow_the_cursor_and_read_all_clears_the_count()
    {
        using var admin = live.AdminClient();
        await ThreadsTests.CreateSubcortexAsync(admin, "inbox");
        var ivy = await live.CreatePrincipalAsync("inbox-ivy", Role.Member);
        using var ivyClient = live.Client(ivy.Key);
        for (var i = 0; i < 4; i++)
        {
            await TasksTests.CreateTaskAsync(admin, "inbox", $"Chore {i}", ivy.Id);
        }

        await live.SettledAsync();
        var all = (await Expect.Json(await ivyClient.GetAsync("/api/v1/notifications"), HttpStatusCode.OK))
            .GetProperty("items").EnumerateArray().Select(n => n.GetProperty("id").GetString()!).ToList();
        Assert.Equal(4, all.Count);
        Assert.Equal(all.OrderDescending(StringComparer.Ordinal), all);
        await Expect.Status(await ivyClient.PostAsync($"/api/v1/notifications/{all[0]}/read", null), HttpStatusCode.OK);

        var first = await Expect.Json(await ivyClient.GetAsync("/api/v1/notifications?limit=2"), HttpStatusCode.OK);
        var second = await Expect.Json(
            await ivyClient.GetAsync($"/api/v1/notifications?limit=2&cursor={first.GetProperty("nextCursor").GetString()}"), HttpStatusCode.OK);
        var paged = first.GetProperty("items").EnumerateArray().Concat(second.GetProperty("items").EnumerateArray())
            .Select(n => n.GetProperty("id").GetString()!).ToList();
        Assert.Equal([all[1], all[2], all[3], all[0]], paged);
        Assert.Equal(3, (await Expect.Json(await ivyClient.GetAsync("/api/v1/notifications?unread=true"), HttpStatusCode.OK)).GetProperty("items").GetArrayLength());

        var marked = await Expect.Json(await ivyClient.PostAsync("/api/v1/notifications/read-all", null), HttpStatusCode.OK);
        Assert.Equal(3, marked.GetProperty("marked").GetInt32());
        Assert.Equal(0, (await Expect.Json(await ivyClient.GetAsync("/api/v1/notifications/unread-count"), HttpStatusCode.OK)).GetProperty("count").GetInt64());
        await Expect.Problem(await ivyClient.GetAsync("/api/v1/notifications?cursor=bm9wZQ"), HttpStatusCode.BadRequest, "validation");
    }

    private async Task<long> CountAsync(string where) =>
        await live.ScalarAsync<long>($"SELECT count(*) FROM notifications WHERE {where}");

    private async Task<List<string>> RecipientsAsync(string where)
    {
        await using var connection = await live.Database.OpenConnectionAsync();
        await using var command = new Npgsql.NpgsqlCommand(
            $"SELECT principal_id || ' ' || subject_entity FROM notifications WHERE {where} ORDER BY 1", connection);
        var rows = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetString(0));
        }

        return Sorted([.. rows]);
    }

    private static List<string> Sorted(params string[] rows) => [.. rows.Order(StringComparer.Ordinal)];

    private static async Task<List<string>> FeedIdsAsync(HttpClient client, string entity)
    {
        var page = await Expect.Json(await client.GetAsync("/api/v1/changes?after=0&limit=1000"), HttpStatusCode.OK);
        return [.. page.GetProperty("changes").EnumerateArray()
            .Where(c => c.GetProperty("entity").GetString() == entity)
            .Select(c => c.GetProperty("entityId").GetString()!)];
    }
}
