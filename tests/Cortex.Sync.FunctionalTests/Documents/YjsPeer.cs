using System.Text.Json.Nodes;
using Cortex.Crdt.Tests.Support;
using Cortex.Sync.FunctionalTests.Infrastructure;
using Cortex.SyncProtocol;
using Microsoft.AspNetCore.SignalR.Client;

namespace Cortex.Sync.FunctionalTests.Documents;

/// <summary>
/// A real yjs 13.6.33 doc (in the Node harness) editing a document through the sync hub, wired the way the browser
/// co-editor is: empty doc, step 1 → step 2, push what the server lacks, push every local update, apply relayed ones.
/// </summary>
internal sealed class YjsPeer : IAsyncDisposable
{
    private readonly YjsHarness _yjs;
    private readonly string _doc;

    private YjsPeer(YjsHarness yjs, HubConnection hub, string documentId, long clientId)
    {
        _yjs = yjs;
        Hub = hub;
        DocumentId = documentId;
        _doc = "peer-" + clientId;
        yjs.Call("new", new JsonObject { ["doc"] = _doc, ["clientId"] = clientId });
        hub.On<DocumentSyncMessage>(nameof(ISyncClient.DocumentUpdated), message => Apply(message.Payload));
    }

    public HubConnection Hub { get; }

    public string DocumentId { get; }

    public string Text => _yjs.Call("textOf", new JsonObject { ["doc"] = _doc, ["name"] = DocumentIds.BodyText })["text"]!.GetValue<string>();

    public static async Task<YjsPeer> OpenAsync(YjsHarness yjs, SyncServer server, string key, string documentId, long clientId)
    {
        var peer = new YjsPeer(yjs, await RawHub.ConnectAsync(server, key), documentId, clientId);
        var state = yjs.Call("state", new JsonObject { ["doc"] = peer._doc });
        var answer = await peer.Hub.InvokeAsync<DocumentSyncAnswer>(nameof(ISyncHub.SyncDocument), new DocumentSyncMessage
        {
            DocumentId = documentId,
            Kind = DocumentMessageKind.SyncStep1,
            Payload = Convert.FromBase64String(state["sv"]!.GetValue<string>()),
        });
        peer.Apply(answer.Step2.Payload);
        var missing = Convert.FromBase64String(yjs.Call("state", new JsonObject
        {
            ["doc"] = peer._doc,
            ["sv"] = Convert.ToBase64String(answer.ServerStep1.Payload),
        })["update"]!.GetValue<string>());
        if (!missing.AsSpan().SequenceEqual(DocumentBody.EmptyUpdate))
        {
            await peer.PushAsync(missing);
        }

        return peer;
    }

    public async Task EditAsync(int index, int deleteCount, string insert)
    {
        _yjs.Call("textEdit", new JsonObject { ["doc"] = _doc, ["name"] = DocumentIds.BodyText, ["index"] = index, ["del"] = deleteCount, ["insert"] = insert });
        var drained = _yjs.Call("drain", new JsonObject { ["doc"] = _doc });
        foreach (var update in drained["updates"]!.AsArray())
        {
            await PushAsync(Convert.FromBase64String(update!.GetValue<string>()));
        }
    }

    private Task PushAsync(byte[] update) => Hub.InvokeAsync(nameof(ISyncHub.PushDocumentUpdate),
        new DocumentSyncMessage { DocumentId = DocumentId, Kind = DocumentMessageKind.Update, Payload = update });

    private void Apply(byte[] update) =>
        _yjs.Call("apply", new JsonObject { ["doc"] = _doc, ["update"] = Convert.ToBase64String(update) });

    public async ValueTask DisposeAsync()
    {
        await Hub.DisposeAsync();
        _yjs.Call("destroy", new JsonObject { ["doc"] = _doc });
    }
}
