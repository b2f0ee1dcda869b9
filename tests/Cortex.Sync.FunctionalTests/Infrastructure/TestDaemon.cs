using Cortex.Daemon.LocalApi;
using Cortex.Daemon.Sync;
using Cortex.Daemon.Workspace;

namespace Cortex.Sync.FunctionalTests.Infrastructure;

/// <summary>A cortexd host in this process (the same <see cref="DaemonHost"/> that <c>cortex daemon</c> runs) in a
/// fresh workspace folder, with quick retry timings.</summary>
internal sealed class TestDaemon : IAsyncDisposable
{
    private TestDaemon(WorkspacePaths workspace, DaemonHost host)
    {
        Workspace = workspace;
        Host = host;
    }

    public WorkspacePaths Workspace { get; }

    public DaemonHost Host { get; private set; }

    public static SyncEngineOptions FastOptions { get; } = new()
    {
        ReconnectBaseDelay = TimeSpan.FromMilliseconds(50),
        ReconnectMaxDelay = TimeSpan.FromMilliseconds(500),
        HeartbeatInterval = TimeSpan.FromMilliseconds(500),
        CallTimeout = TimeSpan.FromSeconds(10),
    };

    /// <summary>Starts a daemon that reaches the server through <c>via</c> (e.g. a <see cref="FlakyLink"/>), or directly.</summary>
    public static async Task<TestDaemon> StartAsync(SyncServer server, string key, SyncEngineOptions? options = null, string? folder = null, Uri? via = null)
    {
        var workspace = WorkspacePaths.At(folder ?? Path.Combine(Path.GetTempPath(), "cortex-ws-" + Guid.NewGuid().ToString("N")[..12]));
        Directory.CreateDirectory(workspace.Root);
        var host = await DaemonHost.StartAsync(workspace, new DaemonSettings(via ?? server.Url, key), options ?? FastOptions);
        return new TestDaemon(workspace, host);
    }

    public Cortex.Replica.ReplicaStore Replica => Host.Replica;

    public SyncEngine Engine => Host.Engine;

    /// <summary>A client of the daemon's loopback API with the workspace token.</summary>
    public HttpClient LocalApi()
    {
        var client = new HttpClient { BaseAddress = Host.Endpoint!.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new("Bearer", File.ReadAllText(Workspace.TokenFile));
        return client;
    }

    public async Task WaitCaughtUpAsync(TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        try
        {
            await Engine.WaitCaughtUpAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            var status = Replica.GetStatus();
            Assert.Fail($"Not caught up: connected {Engine.Connected}, cursor {status.Sync.Cursor}, head {status.Sync.Head}, outbox {status.Outbox.Depth}, error {Engine.LastError}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        if (Directory.Exists(Workspace.Root))
        {
            Directory.Delete(Workspace.Root, recursive: true);
        }
    }
}
