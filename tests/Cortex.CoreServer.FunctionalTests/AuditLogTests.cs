using System.Net;
using System.Text.Json;
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

/// <summary>The audit log holds every write, every denied request and every failed authentication, and admins read it.</summary>
public sealed class AuditLogTests(CortexApp app) : IClassFixture<CortexApp>
{
    [Fact]
    public async Task Writes_denials_and_failed_authentications_all_reach_the_admins_audit_log()
    {
        using var admin = app.AdminClient();
        var member = await app.CreatePrincipalAsync("audit-log-member", Role.Member);
        using var memberClient = app.Client(member.Key);
        await ThreadsTests.CreateSubcortexAsync(admin, "audit-log");
        var thread = await ThreadsTests.CreateThreadAsync(memberClient, "audit-log", "Audited");
        await Expect.Problem(await memberClient.GetAsync("/api/v1/principals"), HttpStatusCode.Forbidden, "forbidden");
        using var stranger = app.Client("ctx_aaaaaaaaaaaaaaaa_" + new string('b', 52));
        await Expect.Problem(await stranger.GetAsync("/api/v1/subcortexes"), HttpStatusCode.Unauthorized, "unauthenticated");

        var events = (await Expect.Json(await admin.GetAsync("/api/v1/audit?limit=20"), HttpStatusCode.OK))
            .GetProperty("items").EnumerateArray().ToList();
        var write = Assert.Single(events, e => Text(e, "targetId") == thread);
        Assert.Equal(("thread.create", "succeeded", member.Id), (Text(write, "action"), Text(write, "outcome"), Text(write, "principalId")));
        var denied = Assert.Single(events, e => Text(e, "outcome") == "denied" && Text(e, "path") == "/api/v1/principals");
        Assert.Equal(member.Id, Text(denied, "principalId"));
        var failed = Assert.Single(events, e => Text(e, "outcome") == "unauthenticated" && Text(e, "path") == "/api/v1/subcortexes");
        Assert.Null(Text(failed, "principalId"));
    }

    [Fact]
    public async Task A_write_that_records_a_change_without_an_audit_event_is_refused_and_rolled_back()
    {
        using var admin = app.AdminClient();
        await ThreadsTests.CreateSubcortexAsync(admin, "audit-missing");
        var subcortexId = Text(await Expect.Json(await admin.GetAsync("/api/v1/subcortexes/audit-missing"), HttpStatusCode.OK), "id")!;
        var threadsBefore = await app.Database.CountAsync("threads");
        var changesBefore = await app.Database.CountAsync("changes");

        await using var scope = app.Services.CreateAsyncScope();
        var session = scope.ServiceProvider.GetRequiredService<WriteSession>();
        var inserted = await ThreadStore.InsertAsync(session, subcortexId, "Unaudited", ThreadKind.Discussion, "b", "<p>b</p>", app.AdminId);
        session.Record(new PendingChange(EntityNames.Thread, inserted.Id, ChangeOperation.Created, inserted.Version, SubcortexId: subcortexId));
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => session.CommitAsync());
        Assert.Contains("no audit event", refused.Message, StringComparison.Ordinal);
        await session.RollbackAsync();

        Assert.Equal(threadsBefore, await app.Database.CountAsync("threads"));
        Assert.Equal(changesBefore, await app.Database.CountAsync("changes"));
    }

    private static string? Text(JsonElement element, string property) =>
        element.GetProperty(property).ValueKind == JsonValueKind.Null ? null : element.GetProperty(property).GetString();
}
