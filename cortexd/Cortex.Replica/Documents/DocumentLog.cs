using Microsoft.Data.Sqlite;

namespace Cortex.Replica;

public enum DocumentUpdateOrigin
{
    /// <summary>Received from the server (sync step 2 or an incremental update).</summary>
    Server = 0,
    /// <summary>Made on this workspace; also queued in the outbox for upload.</summary>
    Local = 1,
}

/// <summary>
/// Document bodies as Yjs update logs: the replica appends update bytes as they arrive and keeps the materialized
/// text the caller computed with the CRDT (<c>Cortex.Crdt</c>). The replica itself never decodes updates. Yjs updates
/// are idempotent and commutative, so appending one twice is harmless; compaction replaces the log by one merged update.
/// </summary>
public sealed class DocumentLog
{
    private readonly ReplicaDb _db;
    private readonly IReplicaChangeSink? _sink;

    internal DocumentLog(ReplicaDb db, IReplicaChangeSink? sink)
    {
        _db = db;
        _sink = sink;
    }

    /// <summary>Appends one update; <paramref name="materializedText"/>, when given, replaces the stored text in the
    /// same transaction. Returns the log's length for the document.</summary>
    public int Append(string documentId, ReadOnlySpan<byte> update, DocumentUpdateOrigin origin, string? materializedText = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(documentId);
        lock (_db.Gate)
        {
            using var transaction = _db.Begin();
            var now = _db.NowUnixMs;
            _db.Execute("INSERT INTO document_updates (document_id, origin, payload, at_ms) VALUES ($d, $o, $p, $t)", transaction,
                ("$d", documentId), ("$o", (int)origin), ("$p", update.ToArray()), ("$t", now));
            var count = Upsert(transaction, documentId, materializedText, now, replaceText: materializedText is not null);
            transaction.Commit();
            return count;
        }
    }

    /// <summary>Replaces the document's log by <paramref name="mergedUpdate"/> (the merge of all its updates).</summary>
    public void Compact(string documentId, ReadOnlySpan<byte> mergedUpdate, string? materializedText)
    {
        ArgumentException.ThrowIfNullOrEmpty(documentId);
        lock (_db.Gate)
        {
            using var transaction = _db.Begin();
            var now = _db.NowUnixMs;
            _db.Execute("DELETE FROM document_updates WHERE document_id = $d", transaction, ("$d", documentId));
            _db.Execute("INSERT INTO document_updates (document_id, origin, payload, at_ms) VALUES ($d, $o, $p, $t)", transaction,
                ("$d", documentId), ("$o", (int)DocumentUpdateOrigin.Server), ("$p", mergedUpdate.ToArray()), ("$t", now));
            _db.Execute("UPDATE documents SET update_count = 0 WHERE document_id = $d", transaction, ("$d", documentId));
            Upsert(transaction, documentId, materializedText, now, replaceText: true);
            transaction.Commit();
        }
    }

    public void SetText(string documentId, string? materializedText)
    {
        lock (_db.Gate)
        {
            using var transaction = _db.Begin();
            _db.Execute("UPDATE documents SET text = $x, updated_at_ms = $t WHERE document_id = $d", transaction,
                ("$d", documentId), ("$x", materializedText), ("$t", _db.NowUnixMs));
            _sink?.OnChanges(new ReplicaChangeSet { Documents = [new DocumentText(EntityIdOf(documentId), materializedText)] }, transaction);
            transaction.Commit();
        }
    }

    /// <summary>The document's updates in arrival order; empty when the replica has none.</summary>
    public IReadOnlyList<byte[]> GetUpdates(string documentId)
    {
        lock (_db.Gate)
        {
            using var command = _db.Command("SELECT payload FROM document_updates WHERE document_id = $d ORDER BY seq", null, ("$d", documentId));
            using var reader = command.ExecuteReader();
            var updates = new List<byte[]>();
            while (reader.Read())
            {
                updates.Add((byte[])reader.GetValue(0));
            }

            return updates;
        }
    }

    public string? GetText(string documentId)
    {
        lock (_db.Gate)
        {
            return _db.Scalar<string>("SELECT text FROM documents WHERE document_id = $d", null, ("$d", documentId));
        }
    }

    /// <summary>The documents the replica holds a log for (the ones the daemon keeps subscribed).</summary>
    public IReadOnlyList<string> ListDocumentIds()
    {
        lock (_db.Gate)
        {
            using var command = _db.Command("SELECT document_id FROM documents ORDER BY document_id", null);
            using var reader = command.ExecuteReader();
            var ids = new List<string>();
            while (reader.Read())
            {
                ids.Add(reader.GetString(0));
            }

            return ids;
        }
    }

    public bool Contains(string documentId)
    {
        lock (_db.Gate)
        {
            return _db.Scalar<long>("SELECT count(*) FROM documents WHERE document_id = $d", null, ("$d", documentId)) > 0;
        }
    }

    /// <summary>Drops the document's log and text (a refused local edit: the doc is fetched again from the server).</summary>
    public void Delete(string documentId)
    {
        lock (_db.Gate)
        {
            using var transaction = _db.Begin();
            Remove(_db, transaction, documentId);
            transaction.Commit();
        }
    }

    /// <summary>Drops the documents of a deleted or purged entity: the body of a thread or draft, or of an artifact
    /// version (whose feed id is <c>{artifactId}:{number}</c>); document ids are <c>kind:{entity id}</c>.</summary>
    internal static int DeleteDocument(ReplicaDb db, SqliteTransaction transaction, string entityId)
    {
        var removed = 0;
        foreach (var documentId in new[] { entityId, "thread:" + entityId, "draft:" + entityId, "artifact:" + entityId })
        {
            removed += Remove(db, transaction, documentId);
        }

        return removed;
    }

    private static int Remove(ReplicaDb db, SqliteTransaction transaction, string documentId)
    {
        db.Execute("DELETE FROM document_updates WHERE document_id = $d", transaction, ("$d", documentId));
        return db.Execute("DELETE FROM documents WHERE document_id = $d", transaction, ("$d", documentId));
    }

    /// <summary>The owning entity's id, which is what the change sink (the local search index) keys items by.</summary>
    private static string EntityIdOf(string documentId)
    {
        var colon = documentId.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? documentId : documentId[(colon + 1)..];
    }

    private int Upsert(SqliteTransaction transaction, string documentId, string? text, long now, bool replaceText)
    {
        var count = _db.Scalar<int>("""
            INSERT INTO documents (document_id, text, update_count, updated_at_ms) VALUES ($d, $x, 1, $t)
            ON CONFLICT (document_id) DO UPDATE SET update_count = update_count + 1, updated_at_ms = $t,
                text = CASE WHEN $replace THEN $x ELSE text END
            RETURNING update_count
            """, transaction, ("$d", documentId), ("$x", text), ("$t", now), ("$replace", replaceText));
        if (replaceText)
        {
            _sink?.OnChanges(new ReplicaChangeSet { Documents = [new DocumentText(EntityIdOf(documentId), text)] }, transaction);
        }

        return count;
    }
}
