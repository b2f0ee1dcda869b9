using Cortex.Crdt;
using Cortex.Crdt.Core;
using Cortex.Crdt.Encoding;
using Cortex.CoreServer.Audit;
using Cortex.CoreServer.Database;
using Cortex.SecretScanning;
using Cortex.SharedModel.Principals;
using Cortex.SharedModel.Validation;
using Cortex.SyncProtocol;
using Npgsql;

namespace Cortex.CoreServer.Documents;

/// <summary>What a document call changed: the server's own updates (seed, a REST edit brought in), which every
/// subscriber that lacks them must receive, and the caller's update, which the others must receive.</summary>
internal sealed record DocumentOutcome(DocumentSyncAnswer? Answer, IReadOnlyList<byte[]> ServerUpdates, byte[]? CallerUpdate);

/// <summary>
/// The document service: each call locks the owning entity's row and then the document's row, rebuilds the doc from
/// its update log, and commits whatever it changed (seed, reconciliation with a REST edit, the pushed update, the
/// materialized body, compaction) in one transaction. A refused update leaves nothing behind.
/// </summary>
internal sealed class DocumentService(NpgsqlDataSource dataSource, DocumentOwners owners, SecretScanner scanner)
{
    /// <summary>Appended updates after which the log is merged into one.</summary>
    public const int CompactAfter = 64;

    /// <summary>Step 1 → step 2 and the server's step 1; <c>subscribe</c> runs once access is granted, before the log is read.</summary>
    public async Task<DocumentOutcome> SyncAsync(Principal me, DocumentSyncMessage step1, Func<Task> subscribe, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subscribe);
        var document = Parse(step1);
        if (step1.Kind != DocumentMessageKind.SyncStep1)
        {
            throw DocumentRefusal.Of(DocumentErrors.Malformed, "SyncDocument takes a sync step 1 (the client's state vector)");
        }

        var access = await owners.CheckAsync(me, document, cancellationToken);
        await subscribe();
        await using var session = new WriteSession(dataSource);
        var (doc, _, serverUpdates, _) = await OpenAsync(session, document, cancellationToken);
        byte[] step2;
        try
        {
            step2 = Y.EncodeStateAsUpdate(doc, step1.Payload.Length == 0 ? null : step1.Payload);
        }
        catch (CrdtFormatException exception)
        {
            throw DocumentRefusal.Of(DocumentErrors.Malformed, $"the state vector is malformed: {exception.Message}");
        }

        await session.CommitNowAsync(cancellationToken);
        var id = step1.DocumentId;
        var answer = new DocumentSyncAnswer
        {
            Step2 = new DocumentSyncMessage { DocumentId = id, Kind = DocumentMessageKind.SyncStep2, Payload = step2 },
            ServerStep1 = new DocumentSyncMessage { DocumentId = id, Kind = DocumentMessageKind.SyncStep1, Payload = Y.EncodeStateVector(doc) },
            Writable = access.Writable,
            ReadOnlyReason = access.ReadOnlyReason,
        };
        return new DocumentOutcome(answer, serverUpdates, null);
    }

    public async Task<DocumentOutcome> PushAsync(Principal me, Actor actor, DocumentSyncMessage message, CancellationToken cancellationToken)
    {
        var document = Parse(message);
        if (message.Kind is not (DocumentMessageKind.Update or DocumentMessageKind.SyncStep2))
        {
            throw DocumentRefusal.Of(DocumentErrors.Malformed, "PushDocumentUpdate takes an update");
        }

        var access = await owners.CheckAsync(me, document, cancellationToken);
        if (!access.Writable)
        {
            throw DocumentRefusal.Of(access.RefusalCode ?? DocumentErrors.ReadOnly, access.ReadOnlyReason ?? "the document is read-only for you");
        }

        await using var session = new WriteSession(dataSource);
        var (doc, locked, serverUpdates, row) = await OpenAsync(session, document, cancellationToken);
        if (!locked.Editable)
        {
            throw DocumentRefusal.Of(DocumentErrors.ReadOnly, $"{document} was decided or accepted meanwhile and is read-only now");
        }

        var before = DocumentBody.Read(doc);
        var stateBefore = Y.EncodeStateVector(doc);
        try
        {
            Y.ApplyUpdate(doc, message.Payload);
        }
        catch (CrdtFormatException exception)
        {
            throw DocumentRefusal.Of(DocumentErrors.Malformed, $"the update is malformed: {exception.Message}");
        }

        if (doc.Store.HasPending)
        {
            throw DocumentRefusal.Of(DocumentErrors.Incomplete,
                "the update depends on edits the server does not have (was an earlier edit refused?); discard the local doc and sync again");
        }

        var after = DocumentBody.Read(doc);
        if (after == before && Y.EncodeStateVector(doc).AsSpan().SequenceEqual(stateBefore))
        {
            // Already held (a resend after a lost answer): nothing to store or relay.
            await session.CommitNowAsync(cancellationToken);
            return new DocumentOutcome(null, serverUpdates, null);
        }

        Check(before, after);
        var materialize = !string.IsNullOrWhiteSpace(after) && after != row.MaterializedBody;
        var materializedBody = string.IsNullOrWhiteSpace(after) ? row.MaterializedBody : after;
        await DocumentStore.AppendAsync(session, message.DocumentId, message.Payload, me.Id, materializedBody, cancellationToken);
        if (materialize)
        {
            await owners.MaterializeAsync(session, me, actor, document, locked, after, cancellationToken);
        }

        if (row.UpdateCount + serverUpdates.Count + 1 >= CompactAfter)
        {
            var updates = await DocumentStore.LoadUpdatesAsync(session, message.DocumentId, cancellationToken);
            await DocumentStore.CompactAsync(session, message.DocumentId, Y.MergeUpdates(updates), cancellationToken);
        }

        await session.CommitNowAsync(cancellationToken);
        return new DocumentOutcome(null, serverUpdates, message.Payload);
    }

    /// <summary>
    /// Locks the entity and the document and rebuilds the doc. The first open seeds the doc from the entity's body; a
    /// body changed outside the document (a REST edit) is brought in as the smallest text edit, so concurrent document
    /// edits elsewhere in the text survive. Both are server updates every subscriber must receive.
    /// </summary>
    private static async Task<(Doc Doc, LockedBody Locked, List<byte[]> ServerUpdates, DocumentRow Row)> OpenAsync(
        WriteSession session, DocumentRef document, CancellationToken cancellationToken)
    {
        var id = document.ToString();
        var locked = await DocumentOwners.LockBodyAsync(session, document, cancellationToken);
        var row = await DocumentStore.LockOrCreateAsync(session, id, locked.Body, cancellationToken);
        var doc = DocumentBody.Load(await DocumentStore.LoadUpdatesAsync(session, id, cancellationToken));
        var serverUpdates = new List<byte[]>();
        var target = row.MaterializedBody != locked.Body || doc.Store.GetStateVector().Count == 0 ? locked.Body : null;
        if (target is not null && DocumentBody.Replace(doc, target) is { } update)
        {
            await DocumentStore.AppendAsync(session, id, update, null, locked.Body, cancellationToken);
            serverUpdates.Add(update);
            row = row with { MaterializedBody = locked.Body, UpdateCount = row.UpdateCount + 1 };
        }

        return (doc, locked, serverUpdates, row);
    }

    private void Check(string before, string after)
    {
        if (after.Length > Rules.BodyMaxLength)
        {
            throw DocumentRefusal.Of(DocumentErrors.BodyTooLong, $"a body holds at most {Rules.BodyMaxLength} characters; this edit makes it {after.Length}");
        }

        var existing = scanner.Scan(before).Select(f => (f.Kind, before.Substring(f.Offset, f.Length))).ToList();
        var introduced = scanner.Scan(after)
            .Where(f => !existing.Remove((f.Kind, after.Substring(f.Offset, f.Length))))
            .Select(f => $"{f.Kind} at line {f.Line}")
            .ToList();
        if (introduced.Count > 0)
        {
            throw DocumentRefusal.Of(DocumentErrors.SecretDetected,
                $"the edit introduces what looks like a secret ({string.Join(", ", introduced)}); remove it and edit again");
        }
    }

    private static DocumentRef Parse(DocumentSyncMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return DocumentIds.TryParse(message.DocumentId, out var document)
            ? document
            : throw DocumentRefusal.Of(DocumentErrors.NotFound, "document ids are thread:{id}, draft:{id} or artifact:{id}:{number}");
    }
}
