using System.Net;
using System.Text.Json;
using Cortex.CoreServer.Feed;
using Cortex.CoreServer.FunctionalTests.Infrastructure;
using Cortex.CoreServer.Principals;
using Cortex.CoreServer.Sync;
using Cortex.SharedModel.Ids;
using Cortex.SharedModel.Principals;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Cortex.CoreServer.FunctionalTests.Tasks;

/// <summary>What a replica receives for tasks and notifications: the fields its entity tables index.</summary>
public sealed class ReplicaPayloadTests(CortexApp app) : IClassFixture<CortexApp>
{
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
}
