using System.Diagnostics;
using System.Text.Json;
using Cortex.Daemon.Workspace;
using Cortex.Sync.FunctionalTests.Infrastructure;

namespace Cortex.Sync.FunctionalTests;

/// <summary>
/// The "done when" walkthrough with real processes: <c>cortex start</c> in a folder, a write through the API
/// seen in the replica, the server stopped while a write is queued, the server back and <c>cortex status</c> at zero
/// lag with the write accepted; then <c>cortex stop</c>. Also a daemon killed in the middle of its bootstrap.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class CortexCliTests(SyncServer server) : IClassFixture<SyncServer>, IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "cortex-cli-" + Guid.NewGuid().ToString("N")[..12]);

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        if (!server.IsRunning)
        {
            await server.StartAsync();
        }
    }

    public async Task DisposeAsync()
    {
        await Cli("stop");
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Start_write_see_it_go_offline_queue_come_back_and_reach_zero_lag()
    {
        await server.CreateSubcortexAsync(server.AdminKey, "walk");

        // A log left by an older cortexd with the default mode is narrowed too.
        var paths = WorkspacePaths.At(_folder);
        Directory.CreateDirectory(paths.StateDirectory);
        await File.WriteAllTextAsync(paths.LogFile, "an older run\n");
        File.SetUnixFileMode(paths.LogFile, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var start = await Cli("start");
        Assert.True(start.ExitCode == 0, start.Error);
        Assert.Contains("cortexd started", start.Output, StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(paths.LogFile));
        Assert.StartsWith("an older run", await File.ReadAllTextAsync(paths.LogFile), StringComparison.Ordinal);
        Assert.Equal(0, (await Cli("wait", "--timeout", "60")).ExitCode);

        var id = await server.CreateThreadAsync(server.AdminKey, "walk", "Seen by the daemon");
        Assert.Equal(0, (await Cli("wait", "--timeout", "60")).ExitCode);
        var status = await StatusAsync();
        Assert.True(status.GetProperty("connected").GetBoolean());
        Assert.Equal(server.AdminId, status.GetProperty("principal").GetString());
        Assert.True(status.GetProperty("itemCounts").GetProperty("thread").GetInt64() >= 1);

        await server.StopAsync();
        await Eventually.TrueAsync(async () => !(await StatusAsync()).GetProperty("connected").GetBoolean(), "status to show the outage");
        var post = await Cli("post", "thread", "--subcortex", "walk", "--title", "Written offline", "--body", "queued");
        Assert.True(post.ExitCode == 0, post.Error);
        var offline = await StatusAsync();
        Assert.Equal(1, offline.GetProperty("outboxDepth").GetInt32());
        Assert.Equal(1, (await Cli("wait", "--timeout", "1")).ExitCode);
        var text = await Cli("status");
        Assert.Contains("not connected", text.Output, StringComparison.Ordinal);

        await server.StartAsync();
        var wait = await Cli("wait", "--timeout", "60");
        Assert.True(wait.ExitCode == 0, wait.Error);
        var back = await StatusAsync();
        Assert.True(back.GetProperty("connected").GetBoolean());
        Assert.Equal(0, back.GetProperty("lagPositions").GetInt64());
        Assert.Equal(0, back.GetProperty("outboxDepth").GetInt32());
        Assert.Equal(1, back.GetProperty("outboxByState").GetProperty("accepted").GetInt32());
        Assert.Equal(1, await server.ScalarAsync("SELECT count(*) FROM threads WHERE title = 'Written offline'"));
        Assert.NotEqual("", id);

        var stop = await Cli("stop");
        Assert.True(stop.ExitCode == 0, stop.Error);
        Assert.Null(DaemonEndpoint.Read(WorkspacePaths.At(_folder)));
        Assert.NotEqual(0, (await Cli("status")).ExitCode);
    }

    [Fact]
    public async Task A_daemon_killed_in_the_middle_of_its_bootstrap_resumes_consistently()
    {
        await server.CreateSubcortexAsync(server.AdminKey, "kill");
        for (var i = 0; i < 600; i++)
        {
            await server.CreateThreadAsync(server.AdminKey, "kill", $"Kill {i}", body: new string('x', 400));
        }

        Assert.Equal(0, (await Cli("start")).ExitCode);
        var workspace = WorkspacePaths.At(_folder);
        var endpoint = DaemonEndpoint.Read(workspace)!;
        using (var local = new HttpClient { BaseAddress = endpoint.BaseAddress })
        {
            local.DefaultRequestHeaders.Authorization = new("Bearer", File.ReadAllText(workspace.TokenFile));
            await Eventually.TrueAsync(
                async () => (await SyncServer.Ok(await local.GetAsync("v1/status"))).GetProperty("cursor").GetInt64() > 0, "the bootstrap to start");
        }

        using (var process = Process.GetProcessById(endpoint.Pid))
        {
            process.Kill();
            await process.WaitForExitAsync();
        }

        using (var replica = Cortex.Replica.ReplicaStore.Open(workspace.ReplicaFile))
        {
            // Whatever was committed is whole: the rows match the cursor's batches.
            var state = replica.GetSyncState();
            var counts = replica.GetStatus().ItemCounts;
            Assert.True(state.Cursor > 0);
            Assert.True(state.Cursor < await server.ScalarAsync("SELECT position FROM feed_head"), "the daemon finished before it was killed");
            Assert.Equal(await server.ScalarAsync(
                "SELECT count(*) FROM changes WHERE entity = 'thread' AND position <= @cursor", new { cursor = state.Cursor }),
                counts.GetValueOrDefault("thread"));
        }

        Assert.Equal(0, (await Cli("start")).ExitCode);
        var wait = await Cli("wait", "--timeout", "120");
        Assert.True(wait.ExitCode == 0, wait.Error);
        var status = await StatusAsync();
        Assert.Equal(await server.ScalarAsync("SELECT count(*) FROM threads"), status.GetProperty("itemCounts").GetProperty("thread").GetInt64());
        Assert.Equal(await server.ScalarAsync("SELECT position FROM feed_head"), status.GetProperty("cursor").GetInt64());

        // The killed bootstrap had dropped the search triggers while it deferred; the resumed one built the index whole
        // and brought them back, so the index is complete and kept in step again.
        using var search = Cortex.LocalSearch.SearchDatabase.Open(workspace.ReplicaFile);
        Assert.Equal(0L, SearchScalar(search, "SELECT count(*) FROM search_fts_deferred"));
        Assert.Equal(4L, SearchScalar(search, "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' AND name LIKE 'search_item_%'"));
        Assert.Equal(600L, SearchScalar(search, "SELECT count(*) FROM search_fts WHERE search_fts MATCH 'kill'"));
        Assert.Equal(
            SearchScalar(search, "SELECT count(*) FROM search_item WHERE quarantined = 0"),
            SearchScalar(search, "SELECT indexed_items FROM search_stats"));
    }

    private static long SearchScalar(Microsoft.Data.Sqlite.SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task<JsonElement> StatusAsync()
    {
        var result = await Cli("status", "--json");
        Assert.True(result.ExitCode == 0, result.Error);
        return JsonDocument.Parse(result.Output).RootElement.Clone();
    }

    private Task<(int ExitCode, string Output, string Error)> Cli(params string[] arguments) =>
        CortexCli.RunAsync(_folder, new Dictionary<string, string>
        {
            [DaemonSettings.UrlVariable] = server.Url.ToString(),
            [DaemonSettings.KeyVariable] = server.AdminKey,
            // Small batches make the bootstrap long enough to be killed in the middle.
            [DaemonSettings.PullBatchVariable] = "5",
        }, arguments);
}
