using System.Text.Json;

namespace Cortex.Daemon.LocalApi;

/// <summary>
/// Where the MCP tools send writes and ask for sync status: the daemon's own replica when they run inside it, its
/// local API when they run in <c>cortex mcp</c>, or the replica on disk when no daemon runs (offline writes queue).
/// </summary>
internal interface IWorkspaceWriter
{
    Task<QueuedWrite> EnqueueAsync(WriteRequest request, CancellationToken cancellationToken = default);

    /// <summary>The write's current state, or null when the outbox no longer has it.</summary>
    Task<QueuedWrite?> FindAsync(string clientId, CancellationToken cancellationToken = default);

    /// <summary>What <c>cortex status --json</c> prints (or, with no daemon running, what the replica on disk tells).</summary>
    Task<JsonElement> StatusAsync(CancellationToken cancellationToken = default);
}
