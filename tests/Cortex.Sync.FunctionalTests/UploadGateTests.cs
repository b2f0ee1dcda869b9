using System.Net.Http.Json;
using System.Text.Json;
using Cortex.Sync.FunctionalTests.Infrastructure;
using Cortex.SyncProtocol;
using Microsoft.AspNetCore.SignalR.Client;

namespace Cortex.Sync.FunctionalTests;

/// <summary>Uploaded mutations pass the same gates as the REST API, because they take the same write path: an agent's
/// edit becomes a draft, and a write holding a secret is rejected with <see cref="RejectionReasons.SecretDetected"/>.</summary>
public sealed class UploadGateTests(SyncServer server) : IClassFixture<SyncServer>
{
    private const string FakeGitHubToken = "ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3z5A";

    [Fact]
    public async Task An_agents_thread_update_is_converted_to_a_draft_of_the_edit()
    {
        await server.CreateSubcortexAsync(server.AdminKey, "gate-edits");
        var agent = await server.CreatePrincipalAsync("gate-edit-agent", "agent");
        var threadId = await ApprovedAgentThreadAsync(agent, "gate-edits", "Agent's runbook notes");
        await using var hub = await HelloAsync(agent);

        var verdict = await UploadAsync(hub, new OutboxMutation
        {
            ClientId = Ulid.NewUlid().ToString(),
            Kind = MutationKinds.UpdateThread,
            TargetEntity = "thread",
            TargetId = threadId,
            BaseVersion = 1,
            Payload = JsonSerializer.SerializeToUtf8Bytes(new { body = "Edited offline." }),
        });

        Assert.Equal(VerdictOutcome.ConvertedToDraft, verdict.Outcome);
        Assert.NotNull(verdict.DraftId);
        Assert.Equal(1, await server.ScalarAsync("SELECT version FROM threads WHERE id = @threadId", new { threadId }));
        Assert.Equal(1, await server.ScalarAsync(
            "SELECT count(*) FROM drafts WHERE id = @id AND thread_id = @threadId AND kind = 'thread' AND body = 'Edited offline.'",
            new { id = verdict.DraftId!, threadId }));

        using var admin = server.Client(server.AdminKey);
        var approved = await SyncServer.Ok(await admin.PostAsync($"/api/v1/drafts/{verdict.DraftId}/approve", null));
        Assert.Equal(threadId, approved.GetProperty("materializedId").GetString());
        Assert.Equal(2, await server.ScalarAsync("SELECT version FROM threads WHERE id = @threadId AND body = 'Edited offline.'", new { threadId }));
    }

    [Fact]
    public async Task A_write_holding_a_secret_is_rejected_naming_its_kind_and_the_answer_is_stable()
    {
        await server.CreateSubcortexAsync(server.AdminKey, "gate-secrets");
        var threadId = await server.CreateThreadAsync(server.AdminKey, "gate-secrets", "Clean thread");
        await using var hub = await HelloAsync(new TestPrincipal(server.AdminId, "admin", server.AdminKey));
        var thread = new OutboxMutation
        {
            ClientId = Ulid.NewUlid().ToString(),
            Kind = MutationKinds.CreateThread,
            TargetId = "gate-secrets",
            Payload = JsonSerializer.SerializeToUtf8Bytes(new { title = "Pushing", body = $"export GITHUB_TOKEN={FakeGitHubToken}" }),
        };
        var comment = new OutboxMutation
        {
            ClientId = Ulid.NewUlid().ToString(),
            Kind = MutationKinds.CreateComment,
            TargetId = threadId,
            Payload = JsonSerializer.SerializeToUtf8Bytes(new { body = $"token {FakeGitHubToken}" }),
        };

        var first = await hub.InvokeAsync<UploadResult>(nameof(ISyncHub.Upload), new OutboxUpload { Mutations = [thread, comment] });
        var again = await hub.InvokeAsync<UploadResult>(nameof(ISyncHub.Upload), new OutboxUpload { Mutations = [thread, comment] });

        Assert.All(first.Verdicts, verdict =>
        {
            Assert.Equal(VerdictOutcome.Rejected, verdict.Outcome);
            Assert.Equal(RejectionReasons.SecretDetected, verdict.ReasonCode);
            Assert.Contains("github", verdict.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(FakeGitHubToken, verdict.Message, StringComparison.Ordinal);
        });
        Assert.Equal(first.Verdicts, again.Verdicts);
        Assert.Equal(0, await server.ScalarAsync("SELECT count(*) FROM threads WHERE title = 'Pushing'"));
        Assert.Equal(0, await server.ScalarAsync("SELECT count(*) FROM comments WHERE thread_id = @threadId", new { threadId }));
    }

    private async Task<string> ApprovedAgentThreadAsync(TestPrincipal agent, string slug, string title)
    {
        using var client = server.Client(agent.Key);
        var draft = await SyncServer.Ok(await client.PostAsJsonAsync($"/api/v1/subcortexes/{slug}/threads", new { title, body = "First notes." }));
        using var admin = server.Client(server.AdminKey);
        var approved = await SyncServer.Ok(await admin.PostAsync($"/api/v1/drafts/{draft.GetProperty("id").GetString()}/approve", null));
        return approved.GetProperty("materializedId").GetString()!;
    }

    private async Task<HubConnection> HelloAsync(TestPrincipal principal)
    {
        var hub = await RawHub.ConnectAsync(server, principal.Key);
        Assert.Equal(HelloStatus.Accepted, (await hub.InvokeAsync<HelloResult>(nameof(ISyncHub.Hello), RawHub.Hello(principal.Id))).Status);
        return hub;
    }

    private static async Task<MutationVerdict> UploadAsync(HubConnection hub, OutboxMutation mutation) =>
        Assert.Single((await hub.InvokeAsync<UploadResult>(nameof(ISyncHub.Upload), new OutboxUpload { Mutations = [mutation] })).Verdicts);
}
