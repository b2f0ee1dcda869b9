using System.Collections.Concurrent;
using Cortex.Crdt;
using Cortex.Crdt.Core;
using Cortex.Replica;
using Cortex.SecretScanning;
using Cortex.SyncProtocol;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Logging;

namespace Cortex.Daemon.Sync;

/// <summary>A local edit of a document body: replace <see cref="DeleteCount"/> UTF-16 units at <see cref="Index"/>
/// by <see cref="Insert"/>, or, when <see cref="Text"/> is set, make the whole body that text (the smallest edit).</summary>
public sealed record DocumentEdit(int? Index, int? DeleteCount, string? Insert, string? Text);

/// <summary>A document body as the replica holds it.</summary>
public sealed record DocumentView(string DocumentId, string Text, bool Connected);

/// <summary>A document operation the daemon refuses (bad id, edit out of range, unknown document while offline, a secret).</summary>
public sealed class DocumentSyncException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}

/// <summary>
/// CRDT document bodies in the daemon. The replica keeps each held document as its Yjs update log plus the text; a
/// local edit is applied to that log at once (read-your-writes) and pushed when connected. On every (re)connect each
/// held document runs the y-protocols handshake (<see cref="ISyncHub.SyncDocument"/>: the server's missing updates come
/// back, ours go up), which is also how edits made offline reach the server: nothing else tracks them. Network calls are
/// never made under a document's lock, so an incoming update is never stuck behind an outgoing call.
/// </summary>
public sealed class DocumentSync(ReplicaStore replica, ILogger<DocumentSync> logger)
{
    public const int CompactAfter = 64;

    private readonly ConcurrentDictionary<string, Lock> _locks = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<DocumentSyncMessage> _incoming = new();
    private int _draining;
    private HubConnection? _connection;
    private long _clientId = NewClientId();

    public bool Connected => _connection is { State: HubConnectionState.Connected };

    /// <summary>Called once the sync connection said hello: resubscribes every held document and uploads offline edits.</summary>
    public async Task AttachAsync(HubConnection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        _connection = connection;
        foreach (var documentId in replica.Documents.ListDocumentIds())
        {
            if (!DocumentIds.TryParse(documentId, out _))
            {
                continue;
            }

            try
            {
                await HandshakeAsync(connection, documentId, cancellationToken);
            }
            catch (Exception exception) when (exception is HubException or DocumentSyncException)
            {
                // One document's refusal must not cost the connection the others (or the entity sync).
                Log.DocumentSyncFailed(logger, documentId, SyncEngine.OneLine(exception));
            }
        }
    }

    public void Detach(HubConnection connection)
    {
        if (ReferenceEquals(_connection, connection))
        {
            _connection = null;
        }
    }

    /// <summary>
    /// An update another client made, relayed by the server. Handlers run on the connection's message loop, which a
    /// SQLite commit would hold up (pulls and head pushes wait behind it), so updates are applied in arrival order by
    /// one drainer on the thread pool.
    /// </summary>
    public void OnServerUpdate(DocumentSyncMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        _incoming.Enqueue(message);
        if (Interlocked.CompareExchange(ref _draining, 1, 0) == 0)
        {
            _ = Task.Run(DrainIncoming);
        }
    }

    private void DrainIncoming()
    {
        while (true)
        {
            while (_incoming.TryDequeue(out var message))
            {
                ApplyIncoming(message);
            }

            Volatile.Write(ref _draining, 0);
            // An update enqueued after the last dequeue but before the flag dropped found a drainer running: take it.
            if (_incoming.IsEmpty || Interlocked.CompareExchange(ref _draining, 1, 0) != 0)
            {
                return;
            }
        }
    }

    private void ApplyIncoming(DocumentSyncMessage message)
    {
        try
        {
            lock (Gate(message.DocumentId))
            {
                if (replica.Documents.Contains(message.DocumentId))
                {
                    Apply(message.DocumentId, message.Payload);
                }
            }
        }
        catch (Exception exception) when (exception is Cortex.Crdt.Encoding.CrdtFormatException or Microsoft.Data.Sqlite.SqliteException or InvalidOperationException)
        {
            // The next handshake (every reconnect) brings whatever this update carried.
            Log.DocumentSyncFailed(logger, message.DocumentId, SyncEngine.OneLine(exception));
        }
    }

    /// <summary>The document's text; a document not held yet is fetched from the server (which needs a connection).</summary>
    public async Task<DocumentView> OpenAsync(string documentId, CancellationToken cancellationToken)
    {
        RequireId(documentId);
        if (!replica.Documents.Contains(documentId))
        {
            var connection = _connection is { State: HubConnectionState.Connected } open
                ? open
                : throw new DocumentSyncException("document_not_held", $"{documentId} is not in the replica yet and the server is not reachable");
            await HandshakeAsync(connection, documentId, cancellationToken);
        }

        return View(documentId);
    }

    /// <summary>Applies a local edit to the replica now and pushes it when connected (offline, the next connect does).</summary>
    public async Task<DocumentView> EditAsync(string documentId, DocumentEdit edit, SecretScanner scanner, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(edit);
        ArgumentNullException.ThrowIfNull(scanner);
        await OpenAsync(documentId, cancellationToken);
        byte[]? update;
        lock (Gate(documentId))
        {
            var doc = Load(documentId);
            var before = DocumentBody.Read(doc);
            var after = Preview(before, edit);
            if (IntroducedSecrets(scanner, before, after) is { Count: > 0 } secrets)
            {
                throw new DocumentSyncException(DocumentErrors.SecretDetected,
                    $"the edit introduces what looks like a secret ({string.Join(", ", secrets)}); remove it and edit again");
            }

            update = edit.Text is not null
                ? DocumentBody.Replace(doc, edit.Text)
                : DocumentBody.Splice(doc, edit.Index ?? 0, edit.DeleteCount ?? 0, edit.Insert ?? "");
            if (update is not null)
            {
                Store(documentId, doc, update, DocumentUpdateOrigin.Local);
            }
        }

        if (update is not null && _connection is { State: HubConnectionState.Connected } connection)
        {
            await PushAsync(connection, documentId, update, cancellationToken);
        }

        return View(documentId);
    }

    /// <summary>Step 1 up, step 2 (the server's missing updates) applied, then our updates the server lacks pushed.</summary>
    private async Task HandshakeAsync(HubConnection connection, string documentId, CancellationToken cancellationToken)
    {
        byte[] stateVector;
        lock (Gate(documentId))
        {
            stateVector = Y.EncodeStateVector(Load(documentId));
        }

        DocumentSyncAnswer answer;
        try
        {
            answer = await connection.InvokeAsync<DocumentSyncAnswer>(nameof(ISyncHub.SyncDocument),
                new DocumentSyncMessage { DocumentId = documentId, Kind = DocumentMessageKind.SyncStep1, Payload = stateVector }, cancellationToken);
        }
        catch (HubException exception) when (DocumentErrors.CodeOf(exception.Message) is DocumentErrors.NotFound or DocumentErrors.Forbidden)
        {
            replica.Documents.Delete(documentId);
            Log.DocumentDropped(logger, documentId, SyncEngine.OneLine(exception));
            throw new DocumentSyncException(DocumentErrors.CodeOf(exception.Message)!, SyncEngine.OneLine(exception));
        }

        byte[] missing;
        lock (Gate(documentId))
        {
            Apply(documentId, answer.Step2.Payload, always: !replica.Documents.Contains(documentId));
            missing = Y.EncodeStateAsUpdate(Load(documentId), answer.ServerStep1.Payload);
        }

        if (!missing.AsSpan().SequenceEqual(DocumentBody.EmptyUpdate))
        {
            await PushAsync(connection, documentId, missing, cancellationToken);
        }
    }

    private async Task PushAsync(HubConnection connection, string documentId, byte[] update, CancellationToken cancellationToken)
    {
        try
        {
            await connection.InvokeAsync(nameof(ISyncHub.PushDocumentUpdate),
                new DocumentSyncMessage { DocumentId = documentId, Kind = DocumentMessageKind.Update, Payload = update }, cancellationToken);
        }
        catch (HubException exception) when (DocumentErrors.CodeOf(exception.Message) is { } code)
        {
            // The server does not hold the refused edit, and everything built on it would stay pending there: start
            // again from the server's copy under a new client id.
            Log.DocumentEditRefused(logger, documentId, SyncEngine.OneLine(exception));
            lock (Gate(documentId))
            {
                replica.Documents.Delete(documentId);
                _clientId = NewClientId();
            }

            if (code is not (DocumentErrors.NotFound or DocumentErrors.Forbidden))
            {
                await HandshakeAsync(connection, documentId, cancellationToken);
            }

            throw new DocumentSyncException(code, SyncEngine.OneLine(exception));
        }
    }

    /// <summary>Applies an update from the server; stores it when it brought anything new (or when
    /// <paramref name="always"/>, so a first sync creates the document even when it is empty).</summary>
    private void Apply(string documentId, byte[] update, bool always = false)
    {
        var doc = Load(documentId);
        var before = Y.EncodeStateVector(doc);
        var text = DocumentBody.Read(doc);
        Y.ApplyUpdate(doc, update);
        if (always || !Y.EncodeStateVector(doc).AsSpan().SequenceEqual(before) || DocumentBody.Read(doc) != text)
        {
            Store(documentId, doc, update, DocumentUpdateOrigin.Server);
        }
    }

    private void Store(string documentId, Doc doc, byte[] update, DocumentUpdateOrigin origin)
    {
        var text = DocumentBody.Read(doc);
        if (replica.Documents.Append(documentId, update, origin, text) >= CompactAfter)
        {
            replica.Documents.Compact(documentId, Y.MergeUpdates(replica.Documents.GetUpdates(documentId)), text);
        }
    }

    private Doc Load(string documentId) => DocumentBody.Load(replica.Documents.GetUpdates(documentId), _clientId);

    private DocumentView View(string documentId) =>
        new(documentId, replica.Documents.GetText(documentId) ?? "", Connected);

    private Lock Gate(string documentId) => _locks.GetOrAdd(documentId, _ => new Lock());

    private static string Preview(string text, DocumentEdit edit)
    {
        if (edit.Text is not null)
        {
            return edit.Text;
        }

        var index = edit.Index ?? 0;
        var deleteCount = edit.DeleteCount ?? 0;
        if (index < 0 || deleteCount < 0 || index + deleteCount > text.Length)
        {
            throw new DocumentSyncException("edit_out_of_range", $"the body has {text.Length} characters; cannot delete {deleteCount} at {index}");
        }

        return string.Concat(text.AsSpan(0, index), edit.Insert ?? "", text.AsSpan(index + deleteCount));
    }

    /// <summary>Secrets in <paramref name="after"/> that <paramref name="before"/> did not hold (the server's rule too).</summary>
    private static List<string> IntroducedSecrets(SecretScanner scanner, string before, string after)
    {
        var existing = scanner.Scan(before).Select(f => (f.Kind, before.Substring(f.Offset, f.Length))).ToList();
        return [.. scanner.Scan(after)
            .Where(f => !existing.Remove((f.Kind, after.Substring(f.Offset, f.Length))))
            .Select(f => $"{f.Kind} at line {f.Line}")];
    }

    private static void RequireId(string documentId)
    {
        if (!DocumentIds.TryParse(documentId, out _))
        {
            throw new DocumentSyncException(DocumentErrors.NotFound, "document ids are thread:{id}, draft:{id} or artifact:{id}:{number}");
        }
    }

    /// <summary>Yjs client ids are random 32-bit numbers; 0 is avoided only to keep ids visibly set.</summary>
    private static long NewClientId() => System.Security.Cryptography.RandomNumberGenerator.GetInt32(1, int.MaxValue);
}
