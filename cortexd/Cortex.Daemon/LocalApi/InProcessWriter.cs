using System.Text.Json;
using Cortex.Daemon.Search;
using Cortex.SecretScanning;

namespace Cortex.Daemon.LocalApi;

/// <summary>The daemon's own writer: the MCP server it serves over HTTP writes straight into its replica.</summary>
internal sealed class InProcessWriter(DaemonContext context, SecretScanner scanner) : IWorkspaceWriter
{
    public Task<QueuedWrite> EnqueueAsync(WriteRequest request, CancellationToken cancellationToken = default)
    {
        var queued = OutboxWrites.Enqueue(context.Replica, request, scanner, LazyEmbedder.Shared);
        context.Engine.Kick();
        return Task.FromResult(queued);
    }

    public Task<QueuedWrite?> FindAsync(string clientId, CancellationToken cancellationToken = default) =>
        Task.FromResult(context.Replica.Outbox.Get(clientId) is { } item ? QueuedWrite.From(item) : null);

    public Task<JsonElement> StatusAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(JsonSerializer.SerializeToElement(context.Status(), LocalApiJson.Options));
}
