using System.Runtime.Versioning;
using System.Text.Json;
using Cortex.Daemon.Workspace;
using Cortex.Sync.FunctionalTests.Infrastructure;
using Cortex.Testing;

namespace Cortex.Sync.FunctionalTests;

/// <summary>
/// runbooks/sidecar-troubleshooting.md's tested blocks, run by bash in a workspace folder with the built <c>cortex</c>
/// on the PATH: first look (starting the daemon), the server's replica list, flushing the outbox, and a cache reset
/// that rebuilds the replica from the server.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class SidecarRunbookTests(SyncServer server) : IClassFixture<SyncServer>, IAsyncLifetime
{
    private readonly string _workspace = Path.Combine(Path.GetTempPath(), "cortex-runbook-ws-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly string _bin = Path.Combine(Path.GetTempPath(), "cortex-runbook-bin-" + Guid.NewGuid().ToString("N")[..12]);

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_workspace);
        Directory.CreateDirectory(_bin);
        var cli = Path.Combine(_bin, "cortex");
        await File.WriteAllTextAsync(cli, $"#!/bin/sh\nexec dotnet '{Path.Combine(AppContext.BaseDirectory, "cortex.dll")}' \"$@\"\n");
        File.SetUnixFileMode(cli, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        if (!server.IsRunning)
        {
            await server.StartAsync();
        }
    }

    public async Task DisposeAsync()
    {
        await CortexCli.RunAsync(_workspace, Environment(), "stop");
        Directory.Delete(_workspace, recursive: true);
        Directory.Delete(_bin, recursive: true);
    }

    [Fact]
    public async Task The_runbook_starts_looks_flushes_and_resets_the_cache()
    {
        await server.CreateSubcortexAsync(server.AdminKey, "runbook-sidecar");
        var thread = await server.CreateThreadAsync(server.AdminKey, "runbook-sidecar", "Kept on the server");

        var (exitCode, output) = await Runbook.RunInAsync(_workspace, "sidecar-troubleshooting.md", Environment());

        Assert.True(exitCode == 0, output);
        var replica = WorkspacePaths.At(_workspace).ReplicaFile;
        Assert.True(File.Exists(replica), "the reset's restart rebuilt the replica");
        var status = await CortexCli.RunAsync(_workspace, Environment(), "status", "--json");
        Assert.True(status.ExitCode == 0, status.Error);
        using var json = JsonDocument.Parse(status.Output);
        Assert.True(json.RootElement.GetProperty("connected").GetBoolean());
        Assert.True(json.RootElement.GetProperty("itemCounts").GetProperty("thread").GetInt64() >= 1, status.Output);
        Assert.Equal(0, json.RootElement.GetProperty("outboxDepth").GetInt32());
        Assert.NotEqual("", thread);
    }

    private Dictionary<string, string> Environment() => new()
    {
        ["PATH"] = _bin + ":" + System.Environment.GetEnvironmentVariable("PATH"),
        [DaemonSettings.UrlVariable] = server.Url.ToString().TrimEnd('/'),
        [DaemonSettings.KeyVariable] = server.AdminKey,
        ["CORTEX_ADMIN_KEY"] = server.AdminKey,
    };
}
