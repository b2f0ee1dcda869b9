using Cortex.Crdt.Encoding;
using Cortex.CoreServer.Audit;
using Cortex.CoreServer.Auth;
using Cortex.CoreServer.Documents;
using Cortex.SharedModel.Principals;
using Cortex.SyncProtocol;
using Microsoft.AspNetCore.SignalR;

namespace Cortex.CoreServer.Sync;

/// <summary>
/// The hub's document methods (CRDT bodies, y-protocols steps and updates, awareness relay). They need no hello, so
/// the web's co-editor (cookie session) uses them directly; each call re-checks the caller's access to the document.
/// </summary>
internal sealed partial class SyncHub
{
    public const int MaxAwarenessBytes = 64 * 1024;

    public async Task<DocumentSyncAnswer> SyncDocument(DocumentSyncMessage step1)
    {
        ArgumentNullException.ThrowIfNull(step1);
        var (principal, _) = Caller();
        var documentId = step1.DocumentId ?? "";
        var group = DocumentSubscriptions.Group(documentId);
        if (!subscriptions.Add(Context.ConnectionId, documentId))
        {
            throw DocumentRefusal.Of(DocumentErrors.Forbidden, $"a connection subscribes to at most {DocumentSubscriptions.MaxDocumentsPerConnection} documents");
        }

        try
        {
            // Joined once access is checked and before the log is read: an update committed in between would otherwise
            // be missed (receiving it twice is harmless, Yjs updates are idempotent).
            var outcome = await documents.SyncAsync(principal, step1,
                () => Groups.AddToGroupAsync(Context.ConnectionId, group, Context.ConnectionAborted), Context.ConnectionAborted);
            // The caller has the server's updates in its step 2.
            await RelayAsync(Clients.OthersInGroup(group), documentId, outcome.ServerUpdates);
            return outcome.Answer!;
        }
        catch
        {
            subscriptions.Remove(Context.ConnectionId, documentId);
            await Groups.RemoveFromGroupAsync(Context.ConnectionId, group, CancellationToken.None);
            throw;
        }
    }

    public async Task PushDocumentUpdate(DocumentSyncMessage update)
    {
        ArgumentNullException.ThrowIfNull(update);
        var (principal, keyId) = Caller();
        var outcome = await documents.PushAsync(principal, DocumentActor(principal, keyId), update, Context.ConnectionAborted);
        var group = DocumentSubscriptions.Group(update.DocumentId);
        await RelayAsync(Clients.Group(group), update.DocumentId, outcome.ServerUpdates);
        await RelayAsync(Clients.OthersInGroup(group), update.DocumentId, outcome.CallerUpdate is { } own ? [own] : []);
    }

    public async Task UnsubscribeDocument(string documentId)
    {
        ArgumentNullException.ThrowIfNull(documentId);
        var removal = subscriptions.Remove(Context.ConnectionId, documentId);
        await Groups.RemoveFromGroupAsync(Context.ConnectionId, DocumentSubscriptions.Group(documentId), Context.ConnectionAborted);
        if (removal is not null)
        {
            await Clients.Group(DocumentSubscriptions.Group(documentId)).AwarenessUpdated(new AwarenessMessage { DocumentId = documentId, Payload = removal });
        }
    }

    public async Task UpdateAwareness(AwarenessMessage awareness)
    {
        ArgumentNullException.ThrowIfNull(awareness);
        if (!subscriptions.IsSubscribed(Context.ConnectionId, awareness.DocumentId))
        {
            throw DocumentRefusal.Of(DocumentErrors.Forbidden, "subscribe to the document with SyncDocument before sending awareness");
        }

        if (awareness.Payload.Length > MaxAwarenessBytes)
        {
            throw DocumentRefusal.Of(DocumentErrors.Malformed, $"an awareness update holds at most {MaxAwarenessBytes} bytes");
        }

        try
        {
            subscriptions.Announce(Context.ConnectionId, awareness.DocumentId, AwarenessUpdates.Decode(awareness.Payload));
        }
        catch (CrdtFormatException exception)
        {
            throw DocumentRefusal.Of(DocumentErrors.Malformed, $"the awareness update is malformed: {exception.Message}");
        }

        await Clients.OthersInGroup(DocumentSubscriptions.Group(awareness.DocumentId)).AwarenessUpdated(awareness);
    }

    public override Task OnConnectedAsync()
    {
        // A cookie-authenticated WebSocket must come from our own site: SameSite=Strict already keeps the cookie off
        // cross-site handshakes, and this check holds even in a browser that does not apply SameSite to WebSockets.
        // Host names only: the web container's proxy forwards $host, which drops the port the browser's Origin keeps.
        if (Context.GetHttpContext() is { } http && http.Features.Get<AuthenticatedPrincipal>() is { } caller
            && caller.KeyId.StartsWith("session:", StringComparison.Ordinal)
            && http.Request.Headers.Origin.ToString() is { Length: > 0 } origin
            && (!Uri.TryCreate(origin, UriKind.Absolute, out var originUri)
                || !string.Equals(originUri.Host, http.Request.Host.Host, StringComparison.OrdinalIgnoreCase)))
        {
            Context.Abort();
        }

        return base.OnConnectedAsync();
    }

    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        foreach (var (documentId, removal) in subscriptions.RemoveConnection(Context.ConnectionId))
        {
            if (removal is not null)
            {
                await Clients.Group(DocumentSubscriptions.Group(documentId)).AwarenessUpdated(new AwarenessMessage { DocumentId = documentId, Payload = removal });
            }
        }

        await base.OnDisconnectedAsync(exception);
    }

    private static async Task RelayAsync(ISyncClient clients, string documentId, IReadOnlyList<byte[]> updates)
    {
        foreach (var payload in updates)
        {
            await clients.DocumentUpdated(new DocumentSyncMessage { DocumentId = documentId, Kind = DocumentMessageKind.Update, Payload = payload });
        }
    }

    private Actor DocumentActor(Principal principal, string keyId) =>
        new(principal.Id, keyId, "HUB", SyncHubRoutes.Path + "/PushDocumentUpdate",
            Context.GetHttpContext()?.Connection.RemoteIpAddress?.ToString());
}
