using System.Text.Json.Nodes;
using Cortex.Daemon.Tests.Seeding;

namespace Cortex.Daemon.Tests;

/// <summary>
/// The read tools of the real <c>cortex mcp</c> process over stdio against a seeded replica, with no daemon and no
/// server (offline): each exchange is compared with its golden file.
/// </summary>
public sealed class McpReadToolTests(McpReadToolTests.Fixture fixture) : IClassFixture<McpReadToolTests.Fixture>
{
    [Fact]
    public async Task Tools_list_declares_schemas_and_annotations() =>
        GoldenFiles.Verify("mcp-tools-list", [await fixture.Session.CallAsync("tools/list")]);

    [Fact]
    public async Task Search_ranks_canon_first_and_cites_each_result() =>
        GoldenFiles.Verify("mcp-search", [
            await fixture.Session.CallToolAsync("search", new JsonObject { ["query"] = "database host disk filled up, pg_archivecleanup and extend the volume", ["limit"] = 3 }),
            await fixture.Session.CallToolAsync("search", new JsonObject { ["query"] = "SQLITE_BUSY", ["kind"] = new JsonArray("thread", "draft"), ["subcortex"] = new JsonArray("sync") }),
            await fixture.Session.CallToolAsync("search", new JsonObject { ["query"] = "disk", ["kind"] = new JsonArray("page") }),
        ]);

    [Fact]
    public async Task Get_thread_returns_the_thread_with_its_comments() =>
        GoldenFiles.Verify("mcp-get-thread", [
            await fixture.Session.CallToolAsync("get_thread", new JsonObject { ["id"] = SeededWorkspace.BusyThread }),
            await fixture.Session.CallToolAsync("get_thread", new JsonObject { ["id"] = SeededWorkspace.QuarantinedThread[..^1] + "Z" }),
        ]);

    [Fact]
    public async Task Get_artifact_returns_the_canon_body_or_the_version_asked_for() =>
        GoldenFiles.Verify("mcp-get-artifact", [
            await fixture.Session.CallToolAsync("get_artifact", new JsonObject { ["id"] = SeededWorkspace.Runbook }),
            await fixture.Session.CallToolAsync("get_artifact", new JsonObject { ["id"] = SeededWorkspace.Runbook, ["version"] = 1 }),
            await fixture.Session.CallToolAsync("get_artifact", new JsonObject { ["id"] = SeededWorkspace.Runbook, ["version"] = 7 }),
        ]);

    [Fact]
    public async Task List_subcortexes_counts_searchable_items() =>
        GoldenFiles.Verify("mcp-list-subcortexes", [await fixture.Session.CallToolAsync("list_subcortexes", [])]);

    [Fact]
    public async Task Recent_activity_lists_newest_first_without_quarantined_items() =>
        GoldenFiles.Verify("mcp-recent-activity", [
            await fixture.Session.CallToolAsync("recent_activity", new JsonObject { ["limit"] = 5 }),
            await fixture.Session.CallToolAsync("recent_activity", new JsonObject { ["subcortex"] = "sync" }),
        ]);

    [Fact]
    public async Task List_tasks_filters_by_state_and_assignee() =>
        GoldenFiles.Verify("mcp-list-tasks", [
            await fixture.Session.CallToolAsync("list_tasks", new JsonObject { ["assignedToMe"] = true }),
            await fixture.Session.CallToolAsync("list_tasks", new JsonObject { ["state"] = "done" }),
            await fixture.Session.CallToolAsync("list_tasks", new JsonObject { ["state"] = "finished" }),
        ]);

    [Fact]
    public async Task Sync_status_reports_offline_from_the_replica_on_disk() =>
        GoldenFiles.Verify("mcp-sync-status", [await fixture.Session.CallToolAsync("sync_status", [])]);

    public sealed class Fixture : IAsyncLifetime
    {
        private readonly SeededWorkspace _workspace = new();

        internal McpStdioSession Session { get; private set; } = null!;

        public async Task InitializeAsync() => Session = await McpStdioSession.StartAsync(_workspace.Root);

        public async Task DisposeAsync()
        {
            await Session.DisposeAsync();
            _workspace.Dispose();
        }
    }
}
