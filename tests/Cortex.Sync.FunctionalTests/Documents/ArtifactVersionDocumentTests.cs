using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Cortex.Sync.FunctionalTests.Infrastructure;
using Cortex.SyncProtocol;
using Microsoft.AspNetCore.SignalR;

namespace Cortex.Sync.FunctionalTests.Documents;

/// <summary>
/// Issue 7: proposed artifact versions are co-edited live through their documents, and the canon gate still accepts only
/// what a reviewer who did not write it read; canon and superseded versions stay read-only.
/// </summary>
public sealed class ArtifactVersionDocumentTests(SyncServer server) : IClassFixture<SyncServer>
{
    [Fact]
    public async Task A_proposed_version_is_co_edited_written_back_and_accepted_only_at_the_revision_the_reviewer_read()
    {
        var mia = await server.CreatePrincipalAsync("av-mia", "member");
        var max = await server.CreatePrincipalAsync("av-max", "member");
        var rob = await server.CreatePrincipalAsync("av-rob", "reviewer");
        await server.CreateSubcortexAsync(server.AdminKey, "av-coedit");
        var artifactId = await CreateArtifactAsync("av-coedit");
        await ProposeAsync(mia.Key, artifactId, "Restart the service.");
        var documentId = DocumentIds.ArtifactVersion(artifactId, 1);

        await using var author = await DocumentPeer.OpenAsync(server, mia.Key, documentId);
        await using var colleague = await DocumentPeer.OpenAsync(server, max.Key, documentId);
        Assert.True(author.Answer!.Writable);
        Assert.True(colleague.Answer!.Writable);
        Assert.Equal("Restart the service.", colleague.Text);
        await author.EditAsync(0, 0, "Drain first. ");
        await colleague.EditAsync(colleague.Text.Length, 0, " Then check the health page.");
        const string Expected = "Drain first. Restart the service. Then check the health page.";
        await Eventually.TrueAsync(() => author.Text == Expected && colleague.Text == Expected, "the co-editors to converge");

        var version = await VersionAsync(artifactId, 1);
        Assert.Equal(Expected, version.GetProperty("body").GetString());
        Assert.Contains("Then check the health page.", version.GetProperty("bodyHtml").GetString(), StringComparison.Ordinal);
        Assert.Equal("proposed", version.GetProperty("state").GetString());
        Assert.Equal(3, version.GetProperty("revision").GetInt32());
        var editors = version.GetProperty("editors").EnumerateArray().Select(e => e.GetString()!).Order(StringComparer.Ordinal);
        Assert.Equal(new[] { mia.Id, max.Id }.Order(StringComparer.Ordinal), editors);
        Assert.Equal(2, await server.ScalarAsync(
            "SELECT count(*) FROM changes WHERE entity = 'artifactVersion' AND entity_id = @id AND operation = 'updated'",
            new { id = $"{artifactId}:1" }));

        // The reviewer read revision 2; the version changed since, so accepting it would accept unread text.
        using var reviewer = server.Client(rob.Key);
        using var stale = await AcceptAsync(reviewer, artifactId, 1, ifMatch: 2);
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        Assert.Equal("proposed", (await VersionAsync(artifactId, 1)).GetProperty("state").GetString());
        var accepted = await SyncServer.Ok(await AcceptAsync(reviewer, artifactId, 1, ifMatch: 3));
        Assert.Equal("canon", accepted.GetProperty("state").GetString());
        Assert.Equal(Expected, accepted.GetProperty("body").GetString());

        // Canon is never edited in place: the open editor's next edit is refused, and a fresh one is read-only.
        var refused = await Assert.ThrowsAsync<HubException>(() => author.EditAsync(0, 0, "Sneaky: "));
        Assert.Equal(DocumentErrors.ReadOnly, DocumentErrors.CodeOf(refused.Message));
        await using var reopened = await DocumentPeer.OpenAsync(server, mia.Key, documentId);
        Assert.False(reopened.Answer!.Writable);
        Assert.Contains("canon", reopened.Answer.ReadOnlyReason, StringComparison.Ordinal);
        Assert.Equal(Expected, (await VersionAsync(artifactId, 1)).GetProperty("body").GetString());
    }

    [Fact]
    public async Task A_reviewer_who_co_edited_a_version_may_not_accept_it()
    {
        var amy = await server.CreatePrincipalAsync("av-amy", "member");
        var rita = await server.CreatePrincipalAsync("av-rita", "reviewer");
        await server.CreateSubcortexAsync(server.AdminKey, "av-self");
        var artifactId = await CreateArtifactAsync("av-self");
        await ProposeAsync(amy.Key, artifactId, "Rotate the keys.");

        await using (var editor = await DocumentPeer.OpenAsync(server, rita.Key, DocumentIds.ArtifactVersion(artifactId, 1)))
        {
            await editor.EditAsync(editor.Text.Length, 0, " Yearly.");
        }

        using var ritaClient = server.Client(rita.Key);
        using var refused = await AcceptAsync(ritaClient, artifactId, 1, ifMatch: null);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("co-edited", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var admin = server.Client(server.AdminKey);
        var accepted = await SyncServer.Ok(await AcceptAsync(admin, artifactId, 1, ifMatch: null));
        Assert.Equal("Rotate the keys. Yearly.", accepted.GetProperty("body").GetString());
    }

    [Fact]
    public async Task Readers_and_agents_get_a_read_only_version_document()
    {
        var rex = await server.CreatePrincipalAsync("av-rex", "reader");
        var ada = await server.CreatePrincipalAsync("av-ada", "agent");
        await server.CreateSubcortexAsync(server.AdminKey, "av-readonly");
        var artifactId = await CreateArtifactAsync("av-readonly");
        await ProposeAsync(server.AdminKey, artifactId, "Fixed text.");
        var documentId = DocumentIds.ArtifactVersion(artifactId, 1);

        await using var reader = await DocumentPeer.OpenAsync(server, rex.Key, documentId);
        Assert.False(reader.Answer!.Writable);
        Assert.Equal("Fixed text.", reader.Text);
        await using var agent = await DocumentPeer.OpenAsync(server, ada.Key, documentId);
        Assert.False(agent.Answer!.Writable);
        var refused = await Assert.ThrowsAsync<HubException>(() => agent.EditAsync(0, 0, "agent: "));
        Assert.Equal(DocumentErrors.ReviewRequired, DocumentErrors.CodeOf(refused.Message));
        Assert.Equal("Fixed text.", (await VersionAsync(artifactId, 1)).GetProperty("body").GetString());
    }

    private async Task<string> CreateArtifactAsync(string slug)
    {
        using var admin = server.Client(server.AdminKey);
        var artifact = await SyncServer.Ok(await admin.PostAsJsonAsync("/api/v1/artifacts", new { subcortex = slug, title = "Runbook", kind = "runbook" }));
        return artifact.GetProperty("id").GetString()!;
    }

    private async Task ProposeAsync(string key, string artifactId, string body)
    {
        using var client = server.Client(key);
        using var response = await client.PostAsJsonAsync($"/api/v1/artifacts/{artifactId}/versions", new { body });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    private static Task<HttpResponseMessage> AcceptAsync(HttpClient client, string artifactId, int number, int? ifMatch)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/artifacts/{artifactId}/versions/{number}/accept");
        if (ifMatch is { } revision)
        {
            request.Headers.TryAddWithoutValidation("If-Match", $"\"{revision}\"");
        }

        return client.SendAsync(request);
    }

    private async Task<JsonElement> VersionAsync(string artifactId, int number)
    {
        using var admin = server.Client(server.AdminKey);
        return await SyncServer.Ok(await admin.GetAsync($"/api/v1/artifacts/{artifactId}/versions/{number}"));
    }
}
