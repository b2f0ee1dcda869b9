using System.Net;
using Cortex.CoreServer.Audit;
using Cortex.CoreServer.Content;
using Cortex.CoreServer.Database;
using Cortex.CoreServer.Feed;
using Cortex.CoreServer.FunctionalTests.Infrastructure;
using Cortex.SharedModel.Content;
using Cortex.SharedModel.Feed;
using Cortex.SharedModel.Principals;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Cortex.CoreServer.FunctionalTests;

public sealed class ChangeFeedTests(CortexApp app) : IClassFixture<CortexApp>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Every_mutation_appends_a_change_in_order_with_entity_operation_and_version()
    {
        using var admin = app.AdminClient();
        var start = await HeadAsync(admin);
        await ThreadsTests.CreateSubcortexAsync(admin, "feed-order");
        var thread = await ThreadsTests.CreateThreadAsync(admin, "feed-order", "Feed me");
        await Expect.Status(
            await admin.PatchAsync($"/api/v1/threads/{thread}", Json("""{"title":"Fed","version":1}""")), HttpStatusCode.OK);

        var page = await Expect.Json(await admin.GetAsync($"/api/v1/changes?after={start}"), HttpStatusCode.OK);
        var changes = page.GetProperty("changes").EnumerateArray().ToList();
        Assert.Equal(
            ["subcortex created 1", "thread created 1", "thread updated 2"],
            changes.Select(c => $"{c.GetProperty("entity").GetString()} {c.GetProperty("operation").GetString()} {c.GetProperty("version").GetInt64()}"));
        Assert.Equal(
            Enumerable.Range(1, 3).Select(i => start + i),
            changes.Select(c => c.GetProperty("position").GetInt64()));
        Assert.Equal(start + 3, page.GetProperty("next").GetInt64());
        Assert.Equal(start + 3, page.GetProperty("head").GetInt64());
    }

    [Fact]
    public async Task The_first_started_transaction_committing_last_is_not_skipped_by_a_reader()
    {
        var (subcortexId, reader) = await PrepareAsync("feed-ooo");
        var feed = app.Services.GetRequiredService<ChangeFeedReader>();
        var start = (await feed.ReadAsync(reader, 0, 1000)).Head;

        await using var firstScope = app.Services.CreateAsyncScope();
        await using var secondScope = app.Services.CreateAsyncScope();
        var first = firstScope.ServiceProvider.GetRequiredService<WriteSession>();
        var second = secondScope.ServiceProvider.GetRequiredService<WriteSession>();

        // The first transaction starts and writes first…
        var early = await InsertThreadAsync(first, subcortexId, "started first");
        // …the second starts later and commits first.
        var late = await InsertThreadAsync(second, subcortexId, "started second");
        await second.CommitAsync();

        var afterSecond = await feed.ReadAsync(reader, start, 1000);
        Assert.Equal([late], afterSecond.Changes.Select(c => c.EntityId));
        var cursor = afterSecond.Next;

        await first.CommitAsync();
        var afterFirst = await feed.ReadAsync(reader, cursor, 1000);
        Assert.Equal([early], afterFirst.Changes.Select(c => c.EntityId));
        Assert.True(afterFirst.Changes[0].Position > cursor);

        var everything = await feed.ReadAsync(reader, start, 1000);
        Assert.Equal([late, early], everything.Changes.Select(c => c.EntityId));
    }

    [Fact]
    public async Task A_reader_never_sees_past_a_transaction_that_holds_a_position_but_has_not_committed()
    {
        var (subcortexId, reader) = await PrepareAsync("feed-hold");
        var feed = app.Services.GetRequiredService<ChangeFeedReader>();
        var start = (await feed.ReadAsync(reader, 0, 1000)).Head;

        await using var firstScope = app.Services.CreateAsyncScope();
        await using var secondScope = app.Services.CreateAsyncScope();
        var first = firstScope.ServiceProvider.GetRequiredService<WriteSession>();
        var second = secondScope.ServiceProvider.GetRequiredService<WriteSession>();

        // Pause the first transaction after it took its feed position, just before COMMIT.
        var holding = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        first.BeforeCommit = async _ =>
        {
            holding.SetResult();
            await release.Task;
        };
        var early = await InsertThreadAsync(first, subcortexId, "holds a position");
        var late = await InsertThreadAsync(second, subcortexId, "wants a later one");
        var firstCommit = first.CommitAsync();
        await holding.Task.WaitAsync(Timeout);

        // The second transaction cannot take a position until the first ends: it queues on the feed head.
        var secondCommit = second.CommitAsync();
        await app.Database.WaitForLockWaitersAsync(1, Timeout);

        var during = await feed.ReadAsync(reader, start, 1000);
        Assert.Empty(during.Changes);
        Assert.Equal(start, during.Head);
        Assert.Equal(start, during.Next);
        Assert.False(secondCommit.IsCompleted);

        release.SetResult();
        await firstCommit.WaitAsync(Timeout);
        await secondCommit.WaitAsync(Timeout);

        var after = await feed.ReadAsync(reader, during.Next, 1000);
        Assert.Equal([early, late], after.Changes.Select(c => c.EntityId));
        Assert.Equal([start + 1, start + 2], after.Changes.Select(c => c.Position));
    }

    [Fact]
    public async Task Concurrent_writers_produce_gapless_positions_in_commit_order()
    {
        var (subcortexId, reader) = await PrepareAsync("feed-many");
        var feed = app.Services.GetRequiredService<ChangeFeedReader>();
        var start = (await feed.ReadAsync(reader, 0, 1000)).Head;

        var writers = Enumerable.Range(0, 20).Select(async i =>
        {
            await using var scope = app.Services.CreateAsyncScope();
            var session = scope.ServiceProvider.GetRequiredService<WriteSession>();
            await InsertThreadAsync(session, subcortexId, $"writer {i}");
            await session.CommitAsync();
            return session.CommittedPosition!.Value;
        }).ToList();
        var positions = await Task.WhenAll(writers);

        Assert.Equal(Enumerable.Range(1, 20).Select(i => start + i), positions.Order());
        var read = await feed.ReadAsync(reader, start, 1000);
        Assert.Equal(positions.Order(), read.Changes.Select(c => c.Position));
    }

    [Fact]
    public async Task The_feed_over_http_shows_private_content_only_to_members()
    {
        using var admin = app.AdminClient();
        var start = await HeadAsync(admin);
        await ThreadsTests.CreateSubcortexAsync(admin, "feed-private", isPrivate: true);
        var secret = await ThreadsTests.CreateThreadAsync(admin, "feed-private", "Hidden");
        await ThreadsTests.CreateSubcortexAsync(admin, "feed-public");
        var open = await ThreadsTests.CreateThreadAsync(admin, "feed-public", "Visible");
        var outsider = await app.CreatePrincipalAsync("feed-outsider", Role.Member);

        using var client = app.Client(outsider.Key);
        var page = await Expect.Json(await client.GetAsync($"/api/v1/changes?after={start}"), HttpStatusCode.OK);
        var ids = page.GetProperty("changes").EnumerateArray().Select(c => c.GetProperty("entityId").GetString()).ToList();
        Assert.Contains(open, ids);
        Assert.DoesNotContain(secret, ids);
        Assert.DoesNotContain(app.AdminId, ids);
        Assert.Contains(outsider.Id, ids);
        Assert.Equal(page.GetProperty("head").GetInt64(), page.GetProperty("next").GetInt64());

        var adminPage = await Expect.Json(await admin.GetAsync($"/api/v1/changes?after={start}"), HttpStatusCode.OK);
        Assert.Contains(secret, adminPage.GetProperty("changes").EnumerateArray().Select(c => c.GetProperty("entityId").GetString()));

        await Expect.Problem(await client.GetAsync("/api/v1/changes?after=-1"), HttpStatusCode.BadRequest, "validation");
        await Expect.Problem(await client.GetAsync("/api/v1/changes?limit=100000"), HttpStatusCode.BadRequest, "validation");
    }

    [Fact]
    public async Task Feed_pages_continue_where_the_last_one_ended()
    {
        using var admin = app.AdminClient();
        var start = await HeadAsync(admin);
        await ThreadsTests.CreateSubcortexAsync(admin, "feed-pages");
        for (var i = 0; i < 4; i++)
        {
            await ThreadsTests.CreateThreadAsync(admin, "feed-pages", $"Page {i}");
        }

        var positions = new List<long>();
        var after = start;
        while (true)
        {
            var page = await Expect.Json(await admin.GetAsync($"/api/v1/changes?after={after}&limit=2"), HttpStatusCode.OK);
            var batch = page.GetProperty("changes").EnumerateArray().Select(c => c.GetProperty("position").GetInt64()).ToList();
            positions.AddRange(batch);
            after = page.GetProperty("next").GetInt64();
            if (batch.Count < 2)
            {
                break;
            }
        }

        Assert.Equal(Enumerable.Range(1, 5).Select(i => start + i), positions);
    }

    private async Task<(string SubcortexId, Principal Reader)> PrepareAsync(string slug)
    {
        using var admin = app.AdminClient();
        await ThreadsTests.CreateSubcortexAsync(admin, slug);
        var subcortex = await Expect.Json(await admin.GetAsync($"/api/v1/subcortexes/{slug}"), HttpStatusCode.OK);
        var reader = new Principal { Id = app.AdminId, Handle = "admin", DisplayName = "Admin", Kind = PrincipalKind.Human, Role = Role.Admin };
        return (subcortex.GetProperty("id").GetString()!, reader);
    }

    private async Task<string> InsertThreadAsync(WriteSession session, string subcortexId, string title)
    {
        var thread = await ThreadStore.InsertAsync(session, subcortexId, title, ThreadKind.Discussion, "b", "<p>b</p>", app.AdminId);
        session.Record(new PendingChange(EntityNames.Thread, thread.Id, ChangeOperation.Created, thread.Version, SubcortexId: subcortexId));
        session.Audit(new AuditEntry("thread.create", AuditOutcome.Succeeded, Actor.Command("test"), EntityNames.Thread, thread.Id));
        return thread.Id;
    }

    private static async Task<long> HeadAsync(HttpClient client) =>
        (await Expect.Json(await client.GetAsync("/api/v1/changes?after=0&limit=1"), HttpStatusCode.OK)).GetProperty("head").GetInt64();

    private static StringContent Json(string json) => new(json, System.Text.Encoding.UTF8, "application/json");
}
