using System.Text;
using System.Text.Json.Nodes;
using Cortex.Daemon.Search;
using Cortex.Daemon.Tests.Seeding;
using Cortex.Replica;
using Cortex.SyncProtocol;

namespace Cortex.Daemon.Tests;

/// <summary>
/// The write tools of the real <c>cortex mcp</c> process with the daemon and the server down: writes are redacted,
/// queue in the outbox on disk, are searchable at once marked pending, and every exchange matches its golden file.
/// </summary>
public sealed class McpWriteToolTests : IAsyncLifetime
{
    private readonly SeededWorkspace _workspace = new();
    private McpStdioSession _session = null!;

    public async Task InitializeAsync() => _session = await McpStdioSession.StartAsync(_workspace.Root);

    [Fact]
    public async Task Create_observation_redacts_attaches_queues_and_is_found_pending()
    {
        var log = Path.Combine(_workspace.Root, "build.log");
        await File.WriteAllTextAsync(log, "step 3 failed: connection refused\nexport GITHUB_TOKEN=ghp_R4nd0mTok3nValue0123456789abcdefABCD\n");
        var create = await _session.CallToolAsync("create_observation", new JsonObject
        {
            ["subcortex"] = "ops",
            ["kind"] = "build.error",
            ["text"] = "The nightly quokka-deploy build fails at step 3.",
            ["source"] = "ci",
            ["attachments"] = new JsonArray("build.log"),
        });
        var found = await _session.CallToolAsync("search", new JsonObject { ["query"] = "quokka-deploy", ["limit"] = 1 });
        var missing = await _session.CallToolAsync("create_observation", new JsonObject
        {
            ["subcortex"] = "ops", ["kind"] = "build.error", ["text"] = "x", ["attachments"] = new JsonArray("no-such-file.log"),
        });
        GoldenFiles.Verify("mcp-create-observation", [create, found, missing]);

        var item = Assert.Single(Outbox());
        Assert.Equal(MutationKinds.CreateObservation, item.Kind);
        Assert.Equal("ops", item.TargetId);
        var payload = Encoding.UTF8.GetString(item.Payload);
        Assert.Contains("connection refused", payload, StringComparison.Ordinal);
        Assert.DoesNotContain("ghp_", payload, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_draft_queues_threads_comments_and_artifact_versions_with_evidence()
    {
        GoldenFiles.Verify("mcp-create-draft", [
            await _session.CallToolAsync("create_draft", new JsonObject
            {
                ["kind"] = "thread", ["subcortex"] = "sync", ["title"] = "Retry bootstrap batches on SQLITE_BUSY", ["threadKind"] = "decision",
                ["body"] = "Retry with backoff; see the incident.",
                ["evidence"] = new JsonArray(new JsonObject { ["kind"] = "thread", ["target"] = SeededWorkspace.BusyThread }),
            }),
            await _session.CallToolAsync("create_draft", new JsonObject { ["kind"] = "comment", ["threadId"] = SeededWorkspace.BusyThread, ["body"] = "Seen again on a third replica." }),
            await _session.CallToolAsync("create_draft", new JsonObject { ["kind"] = "artifactVersion", ["artifactId"] = SeededWorkspace.Runbook, ["body"] = "Also page the on-call DBA." }),
            await _session.CallToolAsync("create_draft", new JsonObject { ["kind"] = "thread", ["body"] = "no subcortex" }),
            await _session.CallToolAsync("create_draft", new JsonObject { ["kind"] = "poem", ["body"] = "roses" }),
            await _session.CallToolAsync("get_thread", new JsonObject { ["id"] = SeededWorkspace.BusyThread }),
        ]);

        Assert.Equal(
            [MutationKinds.CreateDraft, MutationKinds.CreateDraft, MutationKinds.CreateArtifactVersion],
            Outbox().Select(i => i.Kind));
    }

    [Fact]
    public async Task Update_task_queues_against_the_replica_version()
    {
        GoldenFiles.Verify("mcp-update-task", [
            await _session.CallToolAsync("update_task", new JsonObject { ["id"] = SeededWorkspace.VolumeTask, ["state"] = "inProgress" }),
            await _session.CallToolAsync("update_task", new JsonObject { ["id"] = SeededWorkspace.VolumeTask, ["state"] = "finished" }),
            await _session.CallToolAsync("sync_status", []),
        ]);

        var item = Assert.Single(Outbox());
        Assert.Equal((MutationKinds.UpdateTask, SeededWorkspace.VolumeTask, 3L), (item.Kind, item.TargetId, item.BaseVersion));
        Assert.Equal("""{"state":"inProgress"}""", Encoding.UTF8.GetString(item.Payload));
    }

    public async Task DisposeAsync()
    {
        await _session.DisposeAsync();
        _workspace.Dispose();
    }

    private IReadOnlyList<OutboxItem> Outbox()
    {
        using var replica = ReplicaStore.Open(_workspace.ReplicaFile, ReplicaSearchSink.ReplicaOptions());
        return [.. replica.Outbox.LocalWrites().Select(w => w.Item)];
    }
}
