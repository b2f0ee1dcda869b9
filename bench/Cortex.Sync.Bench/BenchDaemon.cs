using Cortex.Daemon.LocalApi;
using Cortex.Daemon.Sync;
using Cortex.Daemon.Workspace;

namespace Cortex.Sync.Bench;

/// <summary>The real cortexd host (the one <c>cortex daemon</c> runs) on a workspace folder of its own.</summary>
internal static class BenchDaemon
{
    public static WorkspacePaths NewWorkspace()
    {
        var workspace = WorkspacePaths.At(Path.Combine(Path.GetTempPath(), "cortex-sync-bench-" + Guid.NewGuid().ToString("N")[..12]));
        Directory.CreateDirectory(workspace.Root);
        return workspace;
    }

    public static Task<DaemonHost> StartAsync(WorkspacePaths workspace, SyncBenchOptions options) =>
        DaemonHost.StartAsync(workspace, new DaemonSettings(options.Url, options.Key), new SyncEngineOptions());

    public static async Task WaitCaughtUpAsync(DaemonHost host, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        await host.Engine.WaitCaughtUpAsync(deadline.Token);
    }

    public static double SizeMegabytes(string replicaFile) =>
        new[] { replicaFile, replicaFile + "-wal" }.Where(File.Exists).Sum(f => new FileInfo(f).Length) / 1024.0 / 1024.0;
}
