using System.Net.Http.Json;
using System.Text.Json;
using Cortex.Crdt.Tests.Support;
using Cortex.Sync.FunctionalTests.Infrastructure;
using Cortex.SyncProtocol;

namespace Cortex.Sync.FunctionalTests.Documents;

/// <summary>Two cortexd replicas (real sync engines) and a real yjs client co-edit one thread body; one replica is
/// offline for part of it. Everyone ends with the same text, which is also the thread's body on the server.</summary>
public sealed class DocumentConvergenceTests(SyncServer server) : IClassFixture<SyncServer>, IDisposable
{
    private const int Seed = 20261127;
    private readonly YjsHarness _yjs = new();

    [Fact]
    public async Task Two_replicas_and_a_yjs_client_converge_with_one_replica_offline_for_part_of_it()
    {
        var random = new Random(Seed);
        var ren = await server.CreatePrincipalAsync("conv-ren", "reviewer");
        var yan = await server.CreatePrincipalAsync("conv-yan", "reviewer");
        await server.CreateSubcortexAsync(server.AdminKey, "co-edit");
        var threadId = await server.CreateThreadAsync(server.AdminKey, "co-edit", "The plan", "The plan:\n");
        var documentId = DocumentIds.Thread(threadId);

        await using var link = new FlakyLink(server.Port);
        await using var alpha = await TestDaemon.StartAsync(server, server.AdminKey);
        await using var beta = await TestDaemon.StartAsync(server, ren.Key, via: link.Url);
        await alpha.WaitCaughtUpAsync();
        await beta.WaitCaughtUpAsync();
        using var alphaApi = alpha.LocalApi();
        using var betaApi = beta.LocalApi();
        Assert.Equal("The plan:\n", await TextAsync(alphaApi, documentId));
        Assert.Equal("The plan:\n", await TextAsync(betaApi, documentId));
        await using var yjs = await YjsPeer.OpenAsync(_yjs, server, yan.Key, documentId, clientId: 1_000_000 + random.Next(1_000_000));
        Assert.Equal("The plan:\n", yjs.Text);

        var tokens = new List<string>();
        var betaOnline = true;

        // An edit's index is read from the editor's current text; an update relayed in between would shift it, maybe
        // into another token. So each edit waits until everyone connected holds the same text (concurrency comes from
        // the offline rounds, where beta's edits and the others' meet only at reconnect).
        async Task QuiescentAsync()
        {
            await Eventually.TrueAsync(async () =>
            {
                var texts = new List<string> { await TextAsync(alphaApi, documentId), yjs.Text, await ServerBodyAsync(threadId) };
                if (betaOnline)
                {
                    texts.Add(await TextAsync(betaApi, documentId));
                }

                return texts.Distinct(StringComparer.Ordinal).Count() == 1;
            }, "the connected editors to hold the same text before the next edit", TimeSpan.FromSeconds(30));
        }

        async Task EditAsync(string who, int round)
        {
            await QuiescentAsync();
            var token = $"[{who}{round}]";
            tokens.Add(token);
            switch (who)
            {
                case "a":
                    await EditDaemonAsync(alphaApi, documentId, random, token);
                    break;
                case "b":
                    var view = await EditDaemonAsync(betaApi, documentId, random, token);
                    Assert.Contains(token, view, StringComparison.Ordinal); // read-your-writes, online or not
                    break;
                default:
                    var text = yjs.Text;
                    await yjs.EditAsync(OutsideTokens(text, random), 0, token);
                    break;
            }
        }

        for (var round = 0; round < 3; round++)
        {
            foreach (var who in new[] { "a", "b", "y" }.OrderBy(_ => random.Next()))
            {
                await EditAsync(who, round);
            }
        }

        await QuiescentAsync();
        link.Cut();
        betaOnline = false;
        await Eventually.TrueAsync(() => !beta.Engine.Connected, "replica beta to notice it is offline");
        for (var round = 3; round < 7; round++)
        {
            foreach (var who in new[] { "a", "b", "y" }.OrderBy(_ => random.Next()))
            {
                await EditAsync(who, round);
            }
        }

        // Offline, beta sees its own edits but not the ones made meanwhile elsewhere.
        var betaOffline = await TextAsync(betaApi, documentId);
        Assert.Contains("[b6]", betaOffline, StringComparison.Ordinal);
        Assert.DoesNotContain("[a6]", betaOffline, StringComparison.Ordinal);

        link.Restore();
        var last = "";
        try
        {
            await Eventually.TrueAsync(async () =>
            {
                var texts = new[] { await TextAsync(alphaApi, documentId), await TextAsync(betaApi, documentId), yjs.Text, await ServerBodyAsync(threadId) };
                last = string.Join(" | ", texts.Select(t => t.ReplaceLineEndings("\\n")));
                return texts.Distinct(StringComparer.Ordinal).Count() == 1;
            }, "alpha, beta, the yjs client and the server to hold the same body", TimeSpan.FromSeconds(60));
        }
        catch (Xunit.Sdk.FailException)
        {
            Assert.Fail($"No convergence (seed {Seed}); alpha | beta | yjs | server: {last}");
        }

        var final = yjs.Text;
        // Every edit is in exactly once, and nothing else changed: without the tokens the original text remains.
        Assert.All(tokens, token => Assert.Equal(1, Occurrences(final, token)));
        Assert.Equal("The plan:\n", tokens.Aggregate(final, (text, token) => text.Replace(token, "", StringComparison.Ordinal)));
        // The materialized body also reaches the replicas through the change feed, like any thread edit.
        await alpha.WaitCaughtUpAsync();
        using var thread = JsonDocument.Parse(alpha.Replica.GetJson("thread", threadId)!);
        Assert.Equal(final, thread.RootElement.GetProperty("body").GetString());
    }

    [Fact]
    public async Task A_daemon_refuses_a_local_edit_that_introduces_a_secret_and_cannot_open_an_unheld_document_offline()
    {
        await server.CreateSubcortexAsync(server.AdminKey, "co-secret");
        var threadId = await server.CreateThreadAsync(server.AdminKey, "co-secret", "Secrets", "nothing here");
        var other = await server.CreateThreadAsync(server.AdminKey, "co-secret", "Never opened", "far away");
        await using var link = new FlakyLink(server.Port);
        await using var daemon = await TestDaemon.StartAsync(server, server.AdminKey, via: link.Url);
        await daemon.WaitCaughtUpAsync();
        using var api = daemon.LocalApi();
        Assert.Equal("nothing here", await TextAsync(api, DocumentIds.Thread(threadId)));

        using var refused = await api.PostAsJsonAsync($"v1/documents/{DocumentIds.Thread(threadId)}/edits",
            new { index = 0, deleteCount = 0, insert = "ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3z5A " });
        Assert.Equal(422, (int)refused.StatusCode);
        Assert.Equal("nothing here", await TextAsync(api, DocumentIds.Thread(threadId)));

        link.Cut();
        await Eventually.TrueAsync(() => !daemon.Engine.Connected, "the daemon to notice it is offline");
        using var unheld = await api.GetAsync($"v1/documents/{DocumentIds.Thread(other)}");
        Assert.Equal(503, (int)unheld.StatusCode);
    }

    [Fact]
    public async Task A_refused_local_edit_is_dropped_and_the_replica_returns_to_the_servers_text()
    {
        var rea = await server.CreatePrincipalAsync("conv-rea", "reader");
        await server.CreateSubcortexAsync(server.AdminKey, "co-read");
        var threadId = await server.CreateThreadAsync(server.AdminKey, "co-read", "Read only", "as written");
        var documentId = DocumentIds.Thread(threadId);
        await using var daemon = await TestDaemon.StartAsync(server, rea.Key);
        await daemon.WaitCaughtUpAsync();
        using var api = daemon.LocalApi();
        Assert.Equal("as written", await TextAsync(api, documentId));

        using var refused = await api.PostAsJsonAsync($"v1/documents/{documentId}/edits", new { text = "rewritten by a reader" });

        Assert.Equal(409, (int)refused.StatusCode);
        Assert.Contains(DocumentErrors.ReadOnly.Replace('_', '-'), await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("as written", await TextAsync(api, documentId));
        Assert.Equal("as written", await ServerBodyAsync(threadId));
        // Later edits by others still arrive: the document was fetched again and is subscribed.
        await using var editor = await YjsPeer.OpenAsync(_yjs, server, server.AdminKey, documentId, clientId: 4_242);
        await editor.EditAsync(0, 0, "still ");
        await Eventually.TrueAsync(async () => await TextAsync(api, documentId) == "still as written", "the admin's edit to reach the reader's replica");
    }

    public void Dispose() => _yjs.Dispose();

    private static async Task<string> EditDaemonAsync(HttpClient api, string documentId, Random random, string token)
    {
        var text = await TextAsync(api, documentId);
        var edit = await SyncServer.Ok(await api.PostAsJsonAsync($"v1/documents/{documentId}/edits",
            new { index = OutsideTokens(text, random), deleteCount = 0, insert = token }));
        return edit.GetProperty("text").GetString()!;
    }

    private static async Task<string> TextAsync(HttpClient api, string documentId) =>
        (await SyncServer.Ok(await api.GetAsync($"v1/documents/{documentId}"))).GetProperty("text").GetString()!;

    private async Task<string> ServerBodyAsync(string threadId)
    {
        using var client = server.Client(server.AdminKey);
        return (await SyncServer.Ok(await client.GetAsync($"/api/v1/threads/{threadId}"))).GetProperty("body").GetString()!;
    }

    /// <summary>A random insert position that does not split an earlier token, so each token stays findable.</summary>
    private static int OutsideTokens(string text, Random random)
    {
        var positions = new List<int>();
        var depth = 0;
        for (var i = 0; i <= text.Length; i++)
        {
            if (depth == 0)
            {
                positions.Add(i);
            }

            if (i < text.Length)
            {
                depth += text[i] switch { '[' => 1, ']' => -1, _ => 0 };
            }
        }

        return positions[random.Next(positions.Count)];
    }

    private static int Occurrences(string text, string token) =>
        (text.Length - text.Replace(token, "", StringComparison.Ordinal).Length) / token.Length;
}
