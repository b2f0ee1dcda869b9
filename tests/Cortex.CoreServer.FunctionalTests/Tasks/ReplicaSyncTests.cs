using System.Net;
using System.Text.Json;
using Cortex.CoreServer.Audit;
using Cortex.CoreServer.Feed;
using Cortex.CoreServer.FunctionalTests.Infrastructure;
using Cortex.CoreServer.Principals;
using Cortex.CoreServer.Sync;
using Cortex.SharedModel.Ids;
using Cortex.SharedModel.Principals;
using Cortex.SyncProtocol;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Cortex.CoreServer.FunctionalTests.Tasks;

/// <summary>
/// Tasks and notifications on the sync path: the outbox mutations <c>task.update</c> and <c>notification.read</c> through the
/// server's applier, and the feed payloads replicas index.
/// </summary>
public sealed class ReplicaSyncTests(CortexApp app) : IClassFixture<CortexApp>
{
    [Fact]
    public async Task An_agent_updates_its_assigned_task_offline_once_and_is_refused_on_others_and_stale_versions()
    {
        using var admin = app.AdminClient();
        await ThreadsTests.CreateSubcortexAsync(admin, "outbox-tasks");
        var bot = await app.CreatePrincipalAsync("outbox-bot", Role.Agent);
        var mine = await TasksTests.CreateTaskAsync(admin, "outbox-tasks", "Mine", bot.Id);
        var theirs = await TasksTests.CreateTaskAsync(admin, "outbox-tasks", "Theirs", null);
        var me = await PrincipalAsync(bot.Id);

        var update = Mutation(MutationKinds.UpdateTask, mine, new { state = "inProgress" }, baseVersion: 1);
        var accepted = await ApplyAsync(me, update);
        var repeated = await ApplyAsync(me, update);
        Assert.Equal(VerdictOutcome.Accepted, accepted.Outcome);
        Assert.Equal(mine, accepted.EntityId);
        Assert.NotNull(accepted.VisibleAt);
        Assert.Equal(accepted, repeated);
        var task = await Expect.Json(await admin.GetAsync($"/api/v1/tasks/{mine}"), HttpStatusCode.OK);
        Assert.Equal(("inProgress", 2L), (task.GetProperty("state").GetString(), task.GetProperty("version").GetInt64()));

        var stale = await ApplyAsync(me, Mutation(MutationKinds.UpdateTask, mine, new { state = "done" }, baseVersion: 1));
        Assert.Equal((VerdictOutcome.Rejected, RejectionReasons.VersionConflict), (stale.Outcome, stale.ReasonCode));
        var forbidden = await ApplyAsync(me, Mutation(MutationKinds.UpdateTask, theirs, new { state = "done" }, baseVersion: 1));
        Assert.Equal((VerdictOutcome.Rejected, RejectionReasons.Forbidden), (forbidden.Outcome, forbidden.ReasonCode));
        var invalid = await ApplyAsync(me, Mutation(MutationKinds.UpdateTask, mine, new { state = "someday" }, baseVersion: 2));
        Assert.Equal((VerdictOutcome.Rejected, RejectionReasons.ValidationFailed), (invalid.Outcome, invalid.ReasonCode));
    }

    [Fact]
    public async Task A_notification_read_offline_is_marked_once_and_only_by_its_principal()
    {
        var reader = await app.CreatePrincipalAsync("outbox-reader", Role.Member);
        var other = await app.CreatePrincipalAsync("outbox-other", Role.Member);
        var notification = CortexId.New();
        await app.Database.ScalarAsync(
            $"""
            INSERT INTO notifications (id, principal_id, kind, subject_entity, subject_id, title, dedup_key)
            VALUES ('{notification}', '{reader.Id}', 'mention', 'thread', '{CortexId.New()}', 'Ping', 'outbox-test')
            """);

        var refused = await ApplyAsync(await PrincipalAsync(other.Id), Mutation(MutationKinds.MarkNotificationRead, notification, new { }));
        Assert.Equal((VerdictOutcome.Rejected, RejectionReasons.NotFound), (refused.Outcome, refused.ReasonCode));
        var me = await PrincipalAsync(reader.Id);
        var read = await ApplyAsync(me, Mutation(MutationKinds.MarkNotificationRead, notification, new { }));
        var readAgain = await ApplyAsync(me, Mutation(MutationKinds.MarkNotificationRead, notification, new { }));

        Assert.Equal(VerdictOutcome.Accepted, read.Outcome);
        Assert.Equal(VerdictOutcome.Accepted, readAgain.Outcome);
        Assert.Equal(2L, await app.Database.ScalarAsync($"SELECT version FROM notifications WHERE id = '{notification}' AND read_at IS NOT NULL"));
        Assert.Equal(1L, await app.Database.CountAsync(
            "changes", $"entity = 'notification' AND entity_id = '{notification}' AND principal_id = '{reader.Id}' AND subcortex_id IS NULL"));
    }

    [Fact]
    public async Task Tasks_and_notifications_reach_the_replica_with_the_fields_it_indexes()
    {
        using var admin = app.AdminClient();
        await ThreadsTests.CreateSubcortexAsync(admin, "replica-tasks");
        var member = await app.CreatePrincipalAsync("replica-member", Role.Member);
        var task = await TasksTests.CreateTaskAsync(admin, "replica-tasks", "Ship it", member.Id, "2026-12-24T12:00:00Z");
        var notification = CortexId.New();
        await app.Database.ScalarAsync(
            $"""
            INSERT INTO notifications (id, principal_id, kind, subject_entity, subject_id, title, dedup_key)
            VALUES ('{notification}', '{member.Id}', 'taskassigned', 'task', '{task}', 'Ship it', 'replica-test')
            """);
        using var memberClient = app.Client(member.Key);
        await Expect.Status(await memberClient.PostAsync($"/api/v1/notifications/{notification}/read", null), HttpStatusCode.OK);

        var me = await app.Services.GetRequiredService<PrincipalStore>().FindAsync(member.Id) ?? throw new InvalidOperationException();
        var page = await app.Services.GetRequiredService<ChangeFeedReader>().ReadAsync(me, 0, 1000);
        var changes = await app.Services.GetRequiredService<FeedPayloads>().LoadAsync(
            [.. page.Changes.Where(c => c.EntityId == task || c.EntityId == notification)]);

        var taskJson = JsonDocument.Parse(Assert.Single(changes, c => c.Entity == "task").Payload!).RootElement;
        Assert.Equal("Ship it", taskJson.GetProperty("title").GetString());
        Assert.Equal("open", taskJson.GetProperty("state").GetString());
        Assert.Equal(member.Id, taskJson.GetProperty("assigneeId").GetString());
        Assert.Equal(new DateTimeOffset(2026, 12, 24, 12, 0, 0, TimeSpan.Zero), taskJson.GetProperty("dueAt").GetDateTimeOffset());
        var notificationJson = JsonDocument.Parse(Assert.Single(changes, c => c.Entity == "notification").Payload!).RootElement;
        Assert.Equal(member.Id, notificationJson.GetProperty("principalId").GetString());
        Assert.Equal("taskAssigned", notificationJson.GetProperty("kind").GetString());
        Assert.NotEqual(JsonValueKind.Null, notificationJson.GetProperty("readAt").ValueKind);
        Assert.NotEqual(JsonValueKind.Null, notificationJson.GetProperty("createdAt").ValueKind);
    }

    private static OutboxMutation Mutation(string kind, string target, object payload, long? baseVersion = null) => new()
    {
        ClientId = CortexId.New(),
        Kind = kind,
        TargetId = target,
        Payload = JsonSerializer.SerializeToUtf8Bytes(payload, JsonSerializerOptions.Web),
        BaseVersion = baseVersion,
    };

    private async Task<Principal> PrincipalAsync(string id) =>
        await app.Services.GetRequiredService<PrincipalStore>().FindAsync(id) ?? throw new InvalidOperationException(id);

    private Task<MutationVerdict> ApplyAsync(Principal me, OutboxMutation mutation) =>
        app.Services.GetRequiredService<MutationApplier>().ApplyAsync(me, new Actor(me.Id, null, "SYNC", "/hubs/sync", null), mutation);
}
