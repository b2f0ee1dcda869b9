using System.Text.Json;
using Cortex.Daemon.Search;
using Cortex.Embeddings;
using Cortex.LocalSearch;
using Cortex.Replica;
using Cortex.SecretScanning;

namespace Cortex.Daemon.LocalApi;

/// <summary>
/// The one way a write enters the outbox: secrets redacted from every string of the payload first, then queued,
/// the redaction counted, and the write made searchable at once, marked pending.
/// </summary>
internal static class OutboxWrites
{
    /// <param name="replica">The replica, opened by the daemon or (daemon down) under its lock.</param>
    /// <param name="request">The write.</param>
    /// <param name="scanner">The workspace's scanner.</param>
    /// <param name="embedder">Embeds the pending write for the vector side; null keeps it keyword-only until it syncs.</param>
    public static QueuedWrite Enqueue(ReplicaStore replica, WriteRequest request, SecretScanner scanner, ITextEmbedder? embedder)
    {
        var (payload, redacted) = SecretRedaction.Redact(request.Payload, scanner);
        var item = replica.Outbox.Enqueue(request.Kind, JsonSerializer.SerializeToUtf8Bytes(payload), request.TargetEntity, request.TargetId, request.BaseVersion);
        using var search = SearchDatabase.Open(replica.Path);
        SecretCounts.Add(search, redacted);
        PendingWriteIndex.Index(search, item.ClientId, request.Kind, request.TargetId, payload, embedder);
        return QueuedWrite.From(item, redacted);
    }
}
