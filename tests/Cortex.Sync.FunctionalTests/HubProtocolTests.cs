using System.Text;
using System.Text.Json;
using Cortex.Sync.FunctionalTests.Infrastructure;
using Cortex.SyncProtocol;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace Cortex.Sync.FunctionalTests;

/// <summary>The hub's contract at the wire: handshake answers, authentication, idempotent uploads.</summary>
public sealed class HubProtocolTests(SyncServer server) : IClassFixture<SyncServer>
{
    [Fact]
    public async Task Incompatible_protocol_version_gets_a_clear_answer_not_a_hang()
    {
        await using var hub = await RawHub.ConnectAsync(server, server.AdminKey);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        var result = await hub.InvokeAsync<HelloResult>(nameof(ISyncHub.Hello), RawHub.Hello(server.AdminId, version: 99), timeout.Token);

        Assert.Equal(HelloStatus.IncompatibleVersion, result.Status);
        Assert.Equal(ProtocolVersion.Current, result.ServerProtocolVersion);
        Assert.Contains("protocol version 99 is not supported", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connecting_without_an_api_key_is_refused()
    {
        var exception = await Assert.ThrowsAnyAsync<Exception>(() => RawHub.ConnectAsync(server, null));
        Assert.Contains("401", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pulling_before_hello_is_refused_with_a_reason()
    {
        await using var hub = await RawHub.ConnectAsync(server, server.AdminKey);
        var exception = await Assert.ThrowsAsync<HubException>(() => hub.InvokeAsync<ChangeBatch>(
            nameof(ISyncHub.PullChanges), new PullRequest { Epoch = 1, After = 0, MaxChanges = 10 }));
        Assert.Contains("hello_required", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_of_another_principal_than_the_replicas_is_a_principal_mismatch()
    {
        await using var hub = await RawHub.ConnectAsync(server, server.AdminKey);
        var result = await hub.InvokeAsync<HelloResult>(nameof(ISyncHub.Hello), RawHub.Hello("someone-else"));
        Assert.Equal(HelloStatus.PrincipalMismatch, result.Status);
    }

    [Fact]
    public async Task A_prefetching_pull_does_not_retire_a_purge_its_replica_has_not_applied()
    {
        var member = await server.CreatePrincipalAsync("prefetch-member", "member");
        await server.CreateSubcortexAsync(server.AdminKey, "prefetch-secret", isPrivate: true);
        using var admin = server.Client(server.AdminKey);
        await SyncServer.Ok(await admin.PutAsync($"/api/v1/subcortexes/prefetch-secret/members/{member.Id}", null));
        await server.CreateThreadAsync(server.AdminKey, "prefetch-secret", "Secret plan");
        await using var hub = await RawHub.ConnectAsync(server, member.Key);
        var purges = new System.Collections.Concurrent.ConcurrentQueue<PurgeInstruction>();
        hub.On<PurgeInstruction>(nameof(ISyncClient.Purge), purges.Enqueue);
        var helloMessage = RawHub.Hello(member.Id);
        var hello = await hub.InvokeAsync<HelloResult>(nameof(ISyncHub.Hello), helloMessage);
        Task<ChangeBatch> Pull(long after, long? applied) => hub.InvokeAsync<ChangeBatch>(nameof(ISyncHub.PullChanges),
            new PullRequest { Epoch = hello.Epoch, After = after, MaxChanges = 1000, Applied = applied });
        Task<long> Unconfirmed() => server.ScalarAsync(
            "SELECT count(*) FROM sync_replica_scopes WHERE replica_id = @replica AND lost_at IS NOT NULL", new { replica = helloMessage.ReplicaId });
        var cursor = (await Pull(0, null)).UpTo;

        await SyncServer.Ok(await admin.DeleteAsync($"/api/v1/subcortexes/prefetch-secret/members/{member.Id}"));
        await server.CreateThreadAsync(server.AdminKey, "prefetch-secret", "Later secret");
        var lost = await Pull(cursor, null);
        await Eventually.TrueAsync(() => !purges.IsEmpty, "the purge");
        Assert.True(lost.UpTo >= purges.First().AtPosition - 1, "the batch after the purge reaches the loss");

        // Prefetch: the replica asks past the loss before applying the batch that carried the purge.
        await server.CreateSubcortexAsync(server.AdminKey, "prefetch-open");
        await server.CreateThreadAsync(server.AdminKey, "prefetch-open", "After the loss");
        var past = await Pull(lost.UpTo, applied: cursor);
        Assert.True(past.UpTo > lost.UpTo);
        // Still applying: this pull's cursor is past the loss, its applied cursor is not.
        await Pull(past.UpTo, applied: cursor);
        Assert.Equal(1, await Unconfirmed());
        await Eventually.TrueAsync(() => purges.Count >= 2, "the purge sent again");

        // Applied past the loss: confirmed and retired.
        await Pull(past.UpTo, applied: past.UpTo);
        Assert.Equal(0, await Unconfirmed());

        var refused = await Assert.ThrowsAsync<HubException>(() => Pull(cursor, applied: cursor + 1));
        Assert.Contains("applied cursor", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Duplicate_uploads_are_applied_once_and_answered_identically()
    {
        await server.CreateSubcortexAsync(server.AdminKey, "dupes");
        await using var hub = await RawHub.ConnectAsync(server, server.AdminKey);
        Assert.Equal(HelloStatus.Accepted, (await hub.InvokeAsync<HelloResult>(nameof(ISyncHub.Hello), RawHub.Hello(server.AdminId))).Status);
        var mutation = new OutboxMutation
        {
            ClientId = Ulid.NewUlid().ToString(),
            Kind = MutationKinds.CreateThread,
            TargetEntity = "subcortex",
            TargetId = "dupes",
            Payload = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { title = "Once only", body = "b" })),
        };

        var first = await hub.InvokeAsync<UploadResult>(nameof(ISyncHub.Upload), new OutboxUpload { Mutations = [mutation, mutation] });
        await using var second = await RawHub.ConnectAsync(server, server.AdminKey);
        await second.InvokeAsync<HelloResult>(nameof(ISyncHub.Hello), RawHub.Hello(server.AdminId));
        var concurrent = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => (i % 2 == 0 ? hub : second)
            .InvokeAsync<UploadResult>(nameof(ISyncHub.Upload), new OutboxUpload { Mutations = [mutation] })));

        var verdict = first.Verdicts[0];
        Assert.Equal(VerdictOutcome.Accepted, verdict.Outcome);
        Assert.NotNull(verdict.VisibleAt);
        Assert.NotNull(verdict.EntityId);
        Assert.Equal(verdict, first.Verdicts[1]);
        Assert.All(concurrent, result => Assert.Equal(verdict, Assert.Single(result.Verdicts)));
        Assert.Equal(1, await server.ScalarAsync("SELECT count(*) FROM threads WHERE title = 'Once only'"));
        Assert.Equal(1, await server.ScalarAsync(
            "SELECT count(*) FROM changes WHERE entity = 'thread' AND entity_id = @id", new { id = verdict.EntityId! }));
    }

    [Fact]
    public async Task A_client_id_reused_by_another_principal_is_rejected_without_revealing_the_first_verdict()
    {
        await server.CreateSubcortexAsync(server.AdminKey, "reuse");
        var member = await server.CreatePrincipalAsync("reuser", "member");
        var mutation = new OutboxMutation
        {
            ClientId = Ulid.NewUlid().ToString(),
            Kind = MutationKinds.CreateThread,
            TargetId = "reuse",
            Payload = Encoding.UTF8.GetBytes("""{"title":"mine","body":"b"}"""),
        };
        await using var admin = await RawHub.ConnectAsync(server, server.AdminKey);
        await admin.InvokeAsync<HelloResult>(nameof(ISyncHub.Hello), RawHub.Hello(server.AdminId));
        await admin.InvokeAsync<UploadResult>(nameof(ISyncHub.Upload), new OutboxUpload { Mutations = [mutation] });
        await using var other = await RawHub.ConnectAsync(server, member.Key);
        await other.InvokeAsync<HelloResult>(nameof(ISyncHub.Hello), RawHub.Hello(member.Id));

        var result = await other.InvokeAsync<UploadResult>(nameof(ISyncHub.Upload), new OutboxUpload { Mutations = [mutation] });

        var verdict = Assert.Single(result.Verdicts);
        Assert.Equal(VerdictOutcome.Rejected, verdict.Outcome);
        Assert.Equal(RejectionReasons.Forbidden, verdict.ReasonCode);
        Assert.Null(verdict.EntityId);
    }

    [Fact]
    public async Task Unknown_mutation_kinds_and_bad_payloads_are_rejected_with_reasons()
    {
        await using var hub = await RawHub.ConnectAsync(server, server.AdminKey);
        await hub.InvokeAsync<HelloResult>(nameof(ISyncHub.Hello), RawHub.Hello(server.AdminId));
        var result = await hub.InvokeAsync<UploadResult>(nameof(ISyncHub.Upload), new OutboxUpload
        {
            Mutations =
            [
                new OutboxMutation { ClientId = Ulid.NewUlid().ToString(), Kind = "teleport.create", Payload = "{}"u8.ToArray() },
                new OutboxMutation { ClientId = Ulid.NewUlid().ToString(), Kind = MutationKinds.CreateThread, TargetId = "x", Payload = "not json"u8.ToArray() },
            ],
        });

        Assert.Equal(RejectionReasons.UnknownKind, result.Verdicts[0].ReasonCode);
        Assert.Equal(RejectionReasons.ValidationFailed, result.Verdicts[1].ReasonCode);
    }
}
