using System.Net.Http.Json;
using Cortex.Crdt;
using Cortex.Sync.FunctionalTests.Infrastructure;
using Cortex.SyncProtocol;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace Cortex.Sync.FunctionalTests.Documents;

/// <summary>The document service at the hub: y-protocols steps, relayed updates, materialized bodies, compaction,
/// access control, secrets and awareness.</summary>
public sealed class DocumentHubTests(SyncServer server) : IClassFixture<SyncServer>
{
    [Fact]
    public async Task Step1_step2_and_updates_reach_other_subscribers_and_the_thread_body()
    {
        var mia = await server.CreatePrincipalAsync("doc-mia", "member");
        await server.CreateSubcortexAsync(server.AdminKey, "docs-cycle");
        var threadId = await server.CreateThreadAsync(mia.Key, "docs-cycle", "Co-edited", "Hello world");
        var documentId = DocumentIds.Thread(threadId);
        var versionBefore = await ThreadVersionAsync(threadId);

        await using var author = await DocumentPeer.OpenAsync(server, mia.Key, documentId);
        await using var admin = await DocumentPeer.OpenAsync(server, server.AdminKey, documentId);
        Assert.Equal("Hello world", author.Text);
        Assert.Equal("Hello world", admin.Text);
        Assert.True(author.Answer!.Writable);
        // A second step 1 with everything already held gets an empty step 2, and both sides agree on the state.
        var again = await author.SyncAsync();
        Assert.Equal(DocumentBody.EmptyUpdate.ToArray(), again.Step2.Payload);
        Assert.Equal(Y.EncodeStateVector(author.Doc), again.ServerStep1.Payload);

        await author.EditAsync(5, 0, ",");
        await admin.EditAsync(admin.Text.Length, 0, "!");

        await Eventually.TrueAsync(() => author.Text == "Hello, world!" && admin.Text == "Hello, world!", "both editors to converge");
        Assert.Single(author.Received);
        Assert.Single(admin.Received);
        var thread = await ThreadAsync(threadId);
        Assert.Equal("Hello, world!", thread.GetProperty("body").GetString());
        Assert.Equal(versionBefore + 2, thread.GetProperty("version").GetInt64());
        Assert.Contains("Hello, world!", thread.GetProperty("bodyHtml").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, await server.ScalarAsync(
            "SELECT count(*) FROM changes WHERE entity = 'thread' AND entity_id = @id AND operation = 'updated'", new { id = threadId }));
    }

    [Fact]
    public async Task Compaction_merges_the_log_into_one_update_with_the_same_content_and_state_vector()
    {
        await server.CreateSubcortexAsync(server.AdminKey, "docs-compact");
        var threadId = await server.CreateThreadAsync(server.AdminKey, "docs-compact", "Compacted", "start");
        var documentId = DocumentIds.Thread(threadId);
        await using var editor = await DocumentPeer.OpenAsync(server, server.AdminKey, documentId);
        var random = new Random(4242);
        var expected = new System.Text.StringBuilder(editor.Text);
        for (var i = 0; i < 100; i++)
        {
            var index = random.Next(expected.Length + 1);
            var insert = ((char)('a' + random.Next(26))).ToString();
            if (i % 5 == 4 && expected.Length > 3)
            {
                index = random.Next(expected.Length - 1);
                await editor.EditAsync(index, 1, "");
                expected.Remove(index, 1);
            }
            else
            {
                await editor.EditAsync(index, 0, insert);
                expected.Insert(index, insert);
            }
        }

        var rows = await server.ScalarAsync("SELECT count(*) FROM document_updates WHERE document_id = @id", new { id = documentId });
        Assert.InRange(rows, 1, CoreServer.Documents.DocumentService.CompactAfter - 1);
        await using var fresh = await DocumentPeer.OpenAsync(server, server.AdminKey, documentId);
        Assert.Equal(expected.ToString(), fresh.Text);
        Assert.Equal(Y.EncodeStateVector(editor.Doc), Y.EncodeStateVector(fresh.Doc));
        Assert.Equal(Y.EncodeStateVector(editor.Doc), fresh.Answer!.ServerStep1.Payload);
        Assert.Equal(expected.ToString(), (await ThreadAsync(threadId)).GetProperty("body").GetString());
    }

    [Fact]
    public async Task A_reader_gets_a_read_only_document_and_its_update_is_refused()
    {
        var rex = await server.CreatePrincipalAsync("doc-rex", "reader");
        await server.CreateSubcortexAsync(server.AdminKey, "docs-read");
        var threadId = await server.CreateThreadAsync(server.AdminKey, "docs-read", "Read only", "fixed text");
        await using var reader = await DocumentPeer.OpenAsync(server, rex.Key, DocumentIds.Thread(threadId));

        Assert.False(reader.Answer!.Writable);
        Assert.Contains("reader", reader.Answer.ReadOnlyReason, StringComparison.Ordinal);
        var refused = await Assert.ThrowsAsync<HubException>(() => reader.EditAsync(0, 5, "broken"));
        Assert.Equal(DocumentErrors.ReadOnly, DocumentErrors.CodeOf(refused.Message));
        Assert.Equal("fixed text", (await ThreadAsync(threadId)).GetProperty("body").GetString());
    }

    [Fact]
    public async Task An_agent_is_sent_to_the_draft_gate_even_on_its_own_thread()
    {
        var ada = await server.CreatePrincipalAsync("doc-ada", "agent");
        await server.CreateSubcortexAsync(server.AdminKey, "docs-agent");
        using var agentClient = server.Client(ada.Key);
        var draft = await SyncServer.Ok(await agentClient.PostAsJsonAsync("/api/v1/subcortexes/docs-agent/threads", new { title = "By an agent", body = "agent text" }));
        using var admin = server.Client(server.AdminKey);
        var approved = await SyncServer.Ok(await admin.PostAsJsonAsync($"/api/v1/drafts/{draft.GetProperty("id").GetString()}/approve", new { }));
        var threadId = approved.GetProperty("materializedId").GetString()!;
        await using var agent = await DocumentPeer.OpenAsync(server, ada.Key, DocumentIds.Thread(threadId));

        // The matrix lets an agent update its own thread, but the draft gate turns such an edit into a proposal.
        Assert.Equal("agent text", agent.Text);
        Assert.False(agent.Answer!.Writable);
        var refused = await Assert.ThrowsAsync<HubException>(() => agent.EditAsync(0, 0, "agent says "));
        Assert.Equal(DocumentErrors.ReviewRequired, DocumentErrors.CodeOf(refused.Message));
        Assert.Equal("agent text", (await ThreadAsync(threadId)).GetProperty("body").GetString());
    }

    [Fact]
    public async Task An_agents_proposal_is_a_draft_whose_body_the_agent_and_a_reviewer_co_edit()
    {
        var ava = await server.CreatePrincipalAsync("doc-ava", "agent");
        await server.CreateSubcortexAsync(server.AdminKey, "docs-draft");
        using var agentClient = server.Client(ava.Key);
        using var proposed = await agentClient.PostAsJsonAsync("/api/v1/subcortexes/docs-draft/threads", new { title = "Proposal", body = "Draft text" });
        Assert.Equal(System.Net.HttpStatusCode.Accepted, proposed.StatusCode);
        var draftId = (await SyncServer.Ok(proposed)).GetProperty("id").GetString()!;
        var documentId = DocumentIds.Draft(draftId);

        await using var agent = await DocumentPeer.OpenAsync(server, ava.Key, documentId);
        await using var reviewer = await DocumentPeer.OpenAsync(server, server.AdminKey, documentId);
        Assert.True(agent.Answer!.Writable);
        await agent.EditAsync(agent.Text.Length, 0, ", revised by the agent");
        await reviewer.EditAsync(0, 0, "Reviewed: ");

        await Eventually.TrueAsync(() => agent.Text == reviewer.Text && agent.Text == "Reviewed: Draft text, revised by the agent", "the co-editors to converge");
        using var admin = server.Client(server.AdminKey);
        var draft = await SyncServer.Ok(await admin.GetAsync($"/api/v1/drafts/{draftId}"));
        Assert.Equal("Reviewed: Draft text, revised by the agent", draft.GetProperty("body").GetString());
        Assert.Equal("pending", draft.GetProperty("state").GetString());
    }

    [Fact]
    public async Task A_non_member_cannot_read_a_private_subcortexs_document()
    {
        var nia = await server.CreatePrincipalAsync("doc-nia", "member");
        await server.CreateSubcortexAsync(server.AdminKey, "docs-private", isPrivate: true);
        var threadId = await server.CreateThreadAsync(server.AdminKey, "docs-private", "Secret plans", "members only");
        await using var hub = await RawHub.ConnectAsync(server, nia.Key);

        var refused = await Assert.ThrowsAsync<HubException>(() => hub.InvokeAsync<DocumentSyncAnswer>(nameof(ISyncHub.SyncDocument),
            new DocumentSyncMessage { DocumentId = DocumentIds.Thread(threadId), Kind = DocumentMessageKind.SyncStep1, Payload = [0] }));
        Assert.Equal(DocumentErrors.Forbidden, DocumentErrors.CodeOf(refused.Message));
        Assert.DoesNotContain("members only", refused.Message, StringComparison.Ordinal);
        var unknown = await Assert.ThrowsAsync<HubException>(() => hub.InvokeAsync<DocumentSyncAnswer>(nameof(ISyncHub.SyncDocument),
            new DocumentSyncMessage { DocumentId = "comment:" + threadId, Kind = DocumentMessageKind.SyncStep1, Payload = [0] }));
        Assert.Equal(DocumentErrors.NotFound, DocumentErrors.CodeOf(unknown.Message));
    }

    [Fact]
    public async Task An_update_that_introduces_a_secret_is_refused_and_leaves_nothing_behind()
    {
        await server.CreateSubcortexAsync(server.AdminKey, "docs-secret");
        var threadId = await server.CreateThreadAsync(server.AdminKey, "docs-secret", "Keys", "config notes");
        var documentId = DocumentIds.Thread(threadId);
        await using var editor = await DocumentPeer.OpenAsync(server, server.AdminKey, documentId);
        var rowsBefore = await server.ScalarAsync("SELECT count(*) FROM document_updates WHERE document_id = @id", new { id = documentId });

        var refused = await Assert.ThrowsAsync<HubException>(() => editor.EditAsync(editor.Text.Length, 0, "\ntoken: " + FakeGitHubToken + "\n"));

        Assert.Equal(DocumentErrors.SecretDetected, DocumentErrors.CodeOf(refused.Message));
        Assert.DoesNotContain(FakeGitHubToken, refused.Message, StringComparison.Ordinal);
        Assert.Equal("config notes", (await ThreadAsync(threadId)).GetProperty("body").GetString());
        Assert.Equal(rowsBefore, await server.ScalarAsync("SELECT count(*) FROM document_updates WHERE document_id = @id", new { id = documentId }));
        // An edit built on the refused one depends on content the server never stored.
        var dependent = DocumentBody.Splice(editor.Doc, editor.Text.Length, 0, "more")!;
        var incomplete = await Assert.ThrowsAsync<HubException>(() => editor.PushAsync(dependent));
        Assert.Equal(DocumentErrors.Incomplete, DocumentErrors.CodeOf(incomplete.Message));
    }

    [Fact]
    public async Task A_rest_edit_of_the_body_enters_the_document_as_a_text_edit()
    {
        await server.CreateSubcortexAsync(server.AdminKey, "docs-rest");
        var threadId = await server.CreateThreadAsync(server.AdminKey, "docs-rest", "Both ways", "one two three");
        var documentId = DocumentIds.Thread(threadId);
        await using var editor = await DocumentPeer.OpenAsync(server, server.AdminKey, documentId);
        var version = await ThreadVersionAsync(threadId);
        using var client = server.Client(server.AdminKey);
        await SyncServer.Ok(await client.PatchAsJsonAsync($"/api/v1/threads/{threadId}", new { body = "one 2 three", version }));

        // The next document call brings the REST edit in and relays it; a concurrent CRDT edit elsewhere survives.
        await editor.EditAsync(editor.Text.Length, 0, " four");

        await Eventually.TrueAsync(() => editor.Text == "one 2 three four", $"the REST edit to reach the editor (has '{editor.Text}')");
        Assert.Equal("one 2 three four", (await ThreadAsync(threadId)).GetProperty("body").GetString());
    }

    [Fact]
    public async Task Awareness_is_relayed_to_other_subscribers_and_cleared_when_the_sender_disconnects()
    {
        await server.CreateSubcortexAsync(server.AdminKey, "docs-presence");
        var threadId = await server.CreateThreadAsync(server.AdminKey, "docs-presence", "Presence", "text");
        var documentId = DocumentIds.Thread(threadId);
        await using var watcher = await DocumentPeer.OpenAsync(server, server.AdminKey, documentId);
        var editor = await DocumentPeer.OpenAsync(server, server.AdminKey, documentId);
        var state = AwarenessUpdates.Encode([new AwarenessEntry(77, 3, """{"user":{"name":"Ann"},"cursor":4}""")]);

        await editor.Hub.InvokeAsync(nameof(ISyncHub.UpdateAwareness), new AwarenessMessage { DocumentId = documentId, Payload = state });
        await Eventually.TrueAsync(() => !watcher.Awareness.IsEmpty, "the awareness update to be relayed");
        Assert.Equal(state, Assert.Single(watcher.Awareness).Payload);
        Assert.Empty(editor.Awareness);

        await editor.DisposeAsync();
        await Eventually.TrueAsync(() => watcher.Awareness.Count == 2, "the removal after the disconnect");
        var removal = AwarenessUpdates.Decode(watcher.Awareness.Single(m => !m.Payload.SequenceEqual(state)).Payload);
        Assert.Equal([new AwarenessEntry(77, 4, "null")], removal);
    }

    [Fact]
    public async Task Awareness_needs_a_subscription()
    {
        await server.CreateSubcortexAsync(server.AdminKey, "docs-nosub");
        var threadId = await server.CreateThreadAsync(server.AdminKey, "docs-nosub", "Presence", "text");
        await using var hub = await RawHub.ConnectAsync(server, server.AdminKey);
        var refused = await Assert.ThrowsAsync<HubException>(() => hub.InvokeAsync(nameof(ISyncHub.UpdateAwareness),
            new AwarenessMessage { DocumentId = DocumentIds.Thread(threadId), Payload = AwarenessUpdates.Encode([new AwarenessEntry(1, 1, "{}")]) }));
        Assert.Equal(DocumentErrors.Forbidden, DocumentErrors.CodeOf(refused.Message));
    }

    /// <summary>Shaped like a GitHub token, so the secret scanner finds it (not a real credential).</summary>
    private const string FakeGitHubToken = "ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3z5A";

    private async Task<System.Text.Json.JsonElement> ThreadAsync(string threadId)
    {
        using var client = server.Client(server.AdminKey);
        return await SyncServer.Ok(await client.GetAsync($"/api/v1/threads/{threadId}"));
    }

    private async Task<long> ThreadVersionAsync(string threadId) => (await ThreadAsync(threadId)).GetProperty("version").GetInt64();
}
