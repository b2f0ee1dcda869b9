using System.Net.Http.Json;
using System.Text.Json;
using Cortex.Daemon.Search;
using Cortex.Daemon.Workspace;
using Cortex.Embeddings;
using Cortex.LocalSearch;
using Cortex.Replica;

namespace Cortex.Daemon.LocalApi;

/// <summary>
/// The writer of processes other than the daemon (<c>cortex mcp</c>, <c>cortex hook stop</c>): through the daemon's
/// local API while it runs; otherwise straight into the replica on disk, holding the daemon's lock file meanwhile so a
/// daemon starting at that moment waits rather than sharing the outbox. Decided per call: the daemon may come and go.
/// </summary>
internal sealed class CliWriter(WorkspacePaths workspace, ITextEmbedder? embedder) : IWorkspaceWriter
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(10);

    public async Task<QueuedWrite> EnqueueAsync(WriteRequest request, CancellationToken cancellationToken = default)
    {
        if (Daemon() is { } client)
        {
            using (client)
            {
                var path = embedder is null ? "v1/outbox" : "v1/outbox?embed=true";
                using var response = await client.PostAsync(path, request, cancellationToken);
                return await ReadAsync<QueuedWrite>(response, cancellationToken);
            }
        }

        return Offline(replica => OutboxWrites.Enqueue(replica, request, SecretRedaction.ScannerFor(workspace), embedder));
    }

    public async Task<QueuedWrite?> FindAsync(string clientId, CancellationToken cancellationToken = default)
    {
        if (Daemon() is { } client)
        {
            using (client)
            {
                using var response = await client.GetAsync($"v1/outbox/{Uri.EscapeDataString(clientId)}", cancellationToken);
                return response.StatusCode == System.Net.HttpStatusCode.NotFound ? null : await ReadAsync<QueuedWrite>(response, cancellationToken);
            }
        }

        return Offline(replica => replica.Outbox.Get(clientId) is { } item ? QueuedWrite.From(item) : null);
    }

    public async Task<JsonElement> StatusAsync(CancellationToken cancellationToken = default)
    {
        if (Daemon() is { } client)
        {
            using (client)
            {
                using var response = await client.GetAsync("v1/status", cancellationToken);
                return await ReadAsync<JsonElement>(response, cancellationToken);
            }
        }

        return Offline(replica =>
        {
            var status = replica.GetStatus();
            using var search = SearchDatabase.Open(replica.Path);
            return JsonSerializer.SerializeToElement(new
            {
                connected = false,
                daemonRunning = false,
                principal = status.Sync.PrincipalId,
                cursor = status.Sync.Cursor,
                head = status.Sync.Head,
                lastSuccessfulSync = status.Sync.LastSyncAt,
                lagPositions = status.LagPositions,
                outboxDepth = status.Outbox.Depth,
                itemCounts = status.ItemCounts,
                secretRedactions = SecretCounts.Read(search),
                warning = "cortexd is not running: reads come from the replica on disk; writes wait in the outbox until 'cortex start'",
            }, LocalApiJson.Options);
        });
    }

    private LocalApiClient? Daemon() =>
        DaemonEndpoint.Read(workspace) is { } endpoint && endpoint.IsAlive() ? LocalApiClient.Connect(workspace.Root, CallTimeout) : null;

    private T Offline<T>(Func<ReplicaStore, T> action)
    {
        workspace.EnsureStateDirectory();
        FileStream daemonLock;
        try
        {
            daemonLock = new FileStream(Path.Combine(workspace.StateDirectory, "daemon.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            throw new WorkspaceException("cortexd is starting for this workspace; try again in a moment");
        }

        using (daemonLock)
        {
            using var replica = ReplicaStore.Open(workspace.ReplicaFile, ReplicaSearchSink.ReplicaOptions());
            return action(replica);
        }
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new WorkspaceException($"cortexd refused the call: {await LocalApiClient.DescribeFailureAsync(response, cancellationToken)}");
        }

        return await response.Content.ReadFromJsonAsync<T>(LocalApiJson.Options, cancellationToken)
            ?? throw new WorkspaceException("cortexd answered with an empty body");
    }
}
