using Cortex.Daemon.Mcp;
using Cortex.Daemon.Search;
using Cortex.Daemon.Sync;
using Cortex.Daemon.Workspace;
using Cortex.Replica;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cortex.Daemon.LocalApi;

/// <summary>
/// One workspace's daemon: the replica, the sync engine and the loopback API in one host. Holds an exclusive lock file
/// so two daemons never share a replica; writes <c>daemon.json</c> only once the API listens, which is what
/// <c>cortex start</c> waits for.
/// </summary>
internal sealed class DaemonHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly FileStream _lock;
    private readonly WorkspacePaths _workspace;

    private DaemonHost(WebApplication app, FileStream lockFile, WorkspacePaths workspace, ReplicaStore replica, SyncEngine engine)
    {
        _app = app;
        _lock = lockFile;
        _workspace = workspace;
        Replica = replica;
        Engine = engine;
    }

    public ReplicaStore Replica { get; }

    public SyncEngine Engine { get; }

    public DaemonEndpoint? Endpoint { get; private set; }

    /// <exception cref="WorkspaceException">another daemon runs for this workspace.</exception>
    public static async Task<DaemonHost> StartAsync(
        WorkspacePaths workspace, DaemonSettings settings, SyncEngineOptions options, CancellationToken cancellationToken = default)
    {
        workspace.EnsureStateDirectory();
        FileStream lockFile;
        try
        {
            lockFile = new FileStream(Path.Combine(workspace.StateDirectory, "daemon.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            throw new WorkspaceException($"a cortexd already runs for {workspace.Root}; 'cortex stop' it first");
        }

        var token = LocalToken.CreateOrRead(workspace);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.AddSimpleConsole(console => console.SingleLine = true);
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(System.Net.IPAddress.Loopback, 0));
        var replica = ReplicaStore.Open(workspace.ReplicaFile, ReplicaSearchSink.ReplicaOptions());
        builder.Services.AddSingleton(replica);
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<DocumentSync>();
        builder.Services.AddSingleton<SyncEngine>();
        builder.Services.AddHostedService(provider => provider.GetRequiredService<SyncEngine>());
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.WriteIndented = false);
        var scanner = SecretRedaction.ScannerFor(workspace);
        builder.Services.AddSingleton(provider => new DaemonContext(replica, provider.GetRequiredService<SyncEngine>(), options, scanner));
        builder.Services.AddSingleton<IWorkspaceWriter, InProcessWriter>();
        builder.Services.AddSingleton(scanner);
        builder.Services.AddCortexMcp(new WorkspaceSearch(workspace.ReplicaFile, LazyEmbedder.Shared), workspace.Root)
            .WithHttpTransport(http => http.Stateless = true);
        var app = builder.Build();
        var engine = app.Services.GetRequiredService<SyncEngine>();
        app.MapLocalApi(token, app.Services.GetRequiredService<DaemonContext>());
        app.MapCortexMcp();
        var host = new DaemonHost(app, lockFile, workspace, replica, engine);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        host.Endpoint = new DaemonEndpoint(Environment.ProcessId, new Uri(address).Port);
        host.Endpoint.Write(workspace);
        Log.LocalApiListening(app.Services.GetRequiredService<ILogger<DaemonHost>>(), host.Endpoint.Port, workspace.Root);
        return host;
    }

    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => _app.WaitForShutdownAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        if (DaemonEndpoint.Read(_workspace) is { } written && written.Pid == Environment.ProcessId && written.Port == Endpoint?.Port)
        {
            File.Delete(_workspace.EndpointFile);
        }

        Replica.Dispose();
        await _lock.DisposeAsync();
    }
}
