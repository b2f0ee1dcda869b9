using System.Collections.Concurrent;
using Cortex.Crdt;
using Cortex.Crdt.Core;
using Cortex.Sync.FunctionalTests.Infrastructure;
using Cortex.SyncProtocol;
using Microsoft.AspNetCore.SignalR.Client;

namespace Cortex.Sync.FunctionalTests.Documents;

/// <summary>A C# CRDT editor on a raw hub connection: a doc kept in sync with one document the way the web editor does.</summary>
internal sealed class DocumentPeer : IAsyncDisposable
{
    private readonly Lock _gate = new();

    private DocumentPeer(HubConnection hub, string documentId)
    {
        Hub = hub;
        DocumentId = documentId;
        hub.On<DocumentSyncMessage>(nameof(ISyncClient.DocumentUpdated), message =>
        {
            Received.Add(message);
            lock (_gate)
            {
                Y.ApplyUpdate(Doc, message.Payload, "remote");
            }
        });
        hub.On<AwarenessMessage>(nameof(ISyncClient.AwarenessUpdated), Awareness.Add);
    }

    public HubConnection Hub { get; }

    public string DocumentId { get; }

    public Doc Doc { get; } = new();

    public DocumentSyncAnswer? Answer { get; private set; }

    public ConcurrentBag<DocumentSyncMessage> Received { get; } = [];

    public ConcurrentBag<AwarenessMessage> Awareness { get; } = [];

    public string Text
    {
        get
        {
            lock (_gate)
            {
                return DocumentBody.Read(Doc);
            }
        }
    }

    public static async Task<DocumentPeer> OpenAsync(SyncServer server, string key, string documentId)
    {
        var peer = new DocumentPeer(await RawHub.ConnectAsync(server, key), documentId);
        await peer.SyncAsync();
        return peer;
    }

    public async Task<DocumentSyncAnswer> SyncAsync()
    {
        byte[] stateVector;
        lock (_gate)
        {
            stateVector = Y.EncodeStateVector(Doc);
        }

        Answer = await Hub.InvokeAsync<DocumentSyncAnswer>(nameof(ISyncHub.SyncDocument),
            new DocumentSyncMessage { DocumentId = DocumentId, Kind = DocumentMessageKind.SyncStep1, Payload = stateVector });
        lock (_gate)
        {
            Y.ApplyUpdate(Doc, Answer.Step2.Payload, "remote");
        }

        return Answer;
    }

    /// <summary>Edits locally and pushes the update; returns it.</summary>
    public async Task<byte[]> EditAsync(int index, int deleteCount, string insert)
    {
        byte[] update;
        lock (_gate)
        {
            update = DocumentBody.Splice(Doc, index, deleteCount, insert) ?? throw new InvalidOperationException("The edit changed nothing.");
        }

        await PushAsync(update);
        return update;
    }

    public Task PushAsync(byte[] update) => Hub.InvokeAsync(nameof(ISyncHub.PushDocumentUpdate),
        new DocumentSyncMessage { DocumentId = DocumentId, Kind = DocumentMessageKind.Update, Payload = update });

    public async ValueTask DisposeAsync() => await Hub.DisposeAsync();
}
