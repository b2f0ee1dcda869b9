using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cortex.Daemon.LocalApi;
using Cortex.Sync.FunctionalTests.Infrastructure;
using Cortex.SyncProtocol;

namespace Cortex.Sync.FunctionalTests;

/// <summary>
/// Issue 5 online: an agent's MCP writes over the daemon's streamable HTTP endpoint (loopback, behind the local API
/// token; a call without it gets 401) reach the real server through the outbox and the server-side appliers of <c>observation.create</c>,
/// <c>draft.create</c> and <c>artifactVersion.create</c>; each write's verdict comes back to the agent.
/// </summary>
public sealed class AgentWritesTests(SyncServer server) : IClassFixture<SyncServer>, IAsyncLifetime
{
    private readonly string _slug = "agents-" + Guid.NewGuid().ToString("N")[..8];
    private TestDaemon _daemon = null!;

    public async Task InitializeAsync()
    {
        if (!server.IsRunning)
        {
            await server.StartAsync();
        }

        await server.CreateSubcortexAsync(server.AdminKey, _slug);
        _daemon = await TestDaemon.StartAsync(server, server.AdminKey);
        await _daemon.WaitCaughtUpAsync();
    }

    public async Task DisposeAsync() => await _daemon.DisposeAsync();

    [Fact]
    public async Task Observations_drafts_and_artifact_versions_from_MCP_reach_the_server_with_their_verdicts()
    {
        using (var anonymous = new HttpClient { BaseAddress = _daemon.Host.Endpoint!.BaseAddress })
        using (var unauthorized = await anonymous.PostAsync(new Uri("mcp", UriKind.Relative), Rpc("tools/list", null)))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
        }

        using var admin = server.Client(server.AdminKey);
        var artifact = await SyncServer.Ok(await admin.PostAsJsonAsync("/api/v1/artifacts", new { subcortex = _slug, title = "Deploy runbook", kind = "runbook" }));
        var artifactId = artifact.GetProperty("id").GetString()!;
        var threadId = await server.CreateThreadAsync(server.AdminKey, _slug, "Deploys are slow");
        await _daemon.WaitCaughtUpAsync();

        using var mcp = _daemon.LocalApi();
        var observation = await CallToolAsync(mcp, "create_observation", new JsonObject
        {
            ["subcortex"] = _slug, ["kind"] = "deploy.timing", ["text"] = "The deploy took 14 minutes; AWS key AKIAQWERTYUIOPASDFGH was in the log.",
        });
        var threadDraft = await CallToolAsync(mcp, "create_draft", new JsonObject
        {
            ["kind"] = "thread", ["subcortex"] = _slug, ["title"] = "Cache the build layers", ["body"] = "Layer caching would cut the deploy in half.",
            ["evidence"] = new JsonArray(new JsonObject { ["kind"] = "thread", ["target"] = threadId }),
        });
        var commentDraft = await CallToolAsync(mcp, "create_draft", new JsonObject { ["kind"] = "comment", ["threadId"] = threadId, ["body"] = "Measured: 14 minutes." });
        var version = await CallToolAsync(mcp, "create_draft", new JsonObject { ["kind"] = "artifactVersion", ["artifactId"] = artifactId, ["body"] = "1. Build. 2. Push. 3. Roll out." });
        var refused = await CallToolAsync(mcp, "create_draft", new JsonObject { ["kind"] = "comment", ["threadId"] = "01JZZZZZZZZZZZZZZZZZZZZZZZ", ["body"] = "Lost." });

        await _daemon.WaitCaughtUpAsync();
        foreach (var write in new[] { observation, threadDraft, commentDraft, version })
        {
            Assert.Equal("accepted", Verdict(write).State);
        }

        var rejected = Verdict(refused);
        Assert.Equal(("rejected", "not_found"), (rejected.State, rejected.ReasonCode));
        Assert.Equal(1, observation.GetProperty("secretsRedacted").GetProperty("aws-access-key").GetInt32());
        Assert.Equal(1, await server.ScalarAsync(
            "SELECT count(*) FROM observations WHERE kind = 'deploy.timing' AND body LIKE '%[REDACTED:aws-access-key]%' AND client_id = @c",
            new { c = observation.GetProperty("clientId").GetString()! }));
        Assert.Equal(1, await server.ScalarAsync("SELECT count(*) FROM drafts WHERE kind = 'thread' AND title = 'Cache the build layers' AND evidence::text LIKE @t", new { t = $"%{threadId}%" }));
        Assert.Equal(1, await server.ScalarAsync("SELECT count(*) FROM drafts WHERE kind = 'comment' AND thread_id = @t", new { t = threadId }));
        Assert.Equal(1, await server.ScalarAsync("SELECT count(*) FROM artifact_versions WHERE artifact_id = @a", new { a = artifactId }));

        // Synced back: the observation is found by search, no longer pending, once the feed brought it.
        var found = await CallToolAsync(mcp, "search", new JsonObject { ["query"] = "deploy took 14 minutes", ["kind"] = new JsonArray("observation") });
        var hit = found.GetProperty("results")[0];
        Assert.False(hit.GetProperty("pending").GetBoolean());
        Assert.Equal(Verdict(observation).EntityId, hit.GetProperty("id").GetString());

        // cortex mcp and the stop hook run in processes of their own and reach the running daemon through its local API.
        var viaLocalApi = new CliWriter(_daemon.Workspace, embedder: null);
        var queued = await viaLocalApi.EnqueueAsync(new WriteRequest(MutationKinds.CreateDraft, "subcortex", _slug, JsonSerializer.SerializeToElement(
            new { kind = "thread", subcortex = _slug, title = "Session: time the deploy", threadKind = "discussion", body = "## What was asked\n\n- time the deploy" })));
        await _daemon.WaitCaughtUpAsync();
        Assert.Equal("accepted", (await viaLocalApi.FindAsync(queued.ClientId))!.State);
        var status = await viaLocalApi.StatusAsync();
        Assert.True(status.GetProperty("connected").GetBoolean());
        Assert.Equal(1, status.GetProperty("secretRedactions").GetProperty("aws-access-key").GetInt64());
    }

    private (string State, string? ReasonCode, string? EntityId) Verdict(JsonElement write)
    {
        var item = _daemon.Replica.Outbox.Get(write.GetProperty("clientId").GetString()!)!;
        return (item.State.ToString().ToLowerInvariant(), item.ReasonCode, item.EntityId);
    }

    private static async Task<JsonElement> CallToolAsync(HttpClient client, string tool, JsonObject arguments)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("mcp", UriKind.Relative))
        {
            Content = Rpc("tools/call", new JsonObject { ["name"] = tool, ["arguments"] = arguments }),
        };
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
        // Streamable HTTP may answer as one server-sent event; its data line is the JSON-RPC response.
        var json = response.Content.Headers.ContentType?.MediaType == "text/event-stream"
            ? text.Split('\n').Last(l => l.StartsWith("data:", StringComparison.Ordinal))["data:".Length..]
            : text;
        var result = JsonDocument.Parse(json).RootElement.GetProperty("result");
        if (result.TryGetProperty("isError", out var isError) && isError.GetBoolean())
        {
            Assert.Fail($"{tool} failed: {result.GetProperty("content")[0].GetProperty("text").GetString()}");
        }

        return result.GetProperty("structuredContent").Clone();
    }

    private static StringContent Rpc(string method, JsonObject? parameters)
    {
        var body = new JsonObject { ["jsonrpc"] = "2.0", ["id"] = 1, ["method"] = method };
        if (parameters is not null)
        {
            body["params"] = parameters;
        }

        var content = new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
        return content;
    }
}
