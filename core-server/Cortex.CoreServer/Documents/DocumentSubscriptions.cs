using System.Collections.Concurrent;
using Cortex.SyncProtocol;

namespace Cortex.CoreServer.Documents;

/// <summary>
/// Which documents each hub connection subscribed to, and the awareness clients (with their last clocks) it announced
/// on each, so that unsubscribing or disconnecting can tell the other subscribers those clients left.
/// </summary>
internal sealed class DocumentSubscriptions
{
    public const int MaxDocumentsPerConnection = 1000;

    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, Dictionary<long, long>>> _connections = new(StringComparer.Ordinal);

    public static string Group(string documentId) => "document:" + documentId;

    public bool Add(string connectionId, string documentId)
    {
        var documents = _connections.GetOrAdd(connectionId, _ => new ConcurrentDictionary<string, Dictionary<long, long>>(StringComparer.Ordinal));
        return documents.ContainsKey(documentId) || (documents.Count < MaxDocumentsPerConnection && documents.TryAdd(documentId, []));
    }

    public bool IsSubscribed(string connectionId, string documentId) =>
        _connections.TryGetValue(connectionId, out var documents) && documents.ContainsKey(documentId);

    /// <summary>Records the clocks of an awareness update the connection sent; a null state forgets the client.</summary>
    public void Announce(string connectionId, string documentId, IEnumerable<AwarenessEntry> entries)
    {
        if (!_connections.TryGetValue(connectionId, out var documents) || !documents.TryGetValue(documentId, out var clients))
        {
            return;
        }

        lock (clients)
        {
            foreach (var entry in entries)
            {
                if (entry.StateJson == "null")
                {
                    clients.Remove(entry.ClientId);
                }
                else
                {
                    clients[entry.ClientId] = entry.Clock;
                }
            }
        }
    }

    /// <summary>Forgets one subscription; returns the awareness removal to relay, or null when none is owed.</summary>
    public byte[]? Remove(string connectionId, string documentId)
    {
        if (!_connections.TryGetValue(connectionId, out var documents) || !documents.TryRemove(documentId, out var clients))
        {
            return null;
        }

        return Removal(clients);
    }

    /// <summary>Forgets the connection; returns each subscribed document with its awareness removal (null when none).</summary>
    public IReadOnlyList<(string DocumentId, byte[]? Removal)> RemoveConnection(string connectionId) =>
        _connections.TryRemove(connectionId, out var documents)
            ? [.. documents.Select(pair => (pair.Key, Removal(pair.Value)))]
            : [];

    private static byte[]? Removal(Dictionary<long, long> clients)
    {
        lock (clients)
        {
            return clients.Count == 0 ? null : AwarenessUpdates.Removal(clients);
        }
    }
}
