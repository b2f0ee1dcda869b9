using Cortex.SyncProtocol;
using Microsoft.Data.Sqlite;

namespace Cortex.Replica;

public sealed partial class ReplicaStore
{
    /// <summary>
    /// Applies a change batch and moves the cursor to its end in one transaction. A batch the cursor already covers is a
    /// no-op; one overlapping the cursor applies only its changes after it; one starting after the cursor is refused
    /// with <see cref="FeedGapException"/>, so a gap can never be applied over.
    /// </summary>
    /// <exception cref="FeedGapException">the batch starts after the cursor.</exception>
    /// <exception cref="EpochMismatchException">the batch is for another epoch.</exception>
    /// <exception cref="MalformedBatchException">the batch contradicts itself; nothing was applied.</exception>
    public ApplyResult ApplyBatch(ChangeBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        Validate(batch);
        lock (_db.Gate)
        {
            try
            {
                return ApplyBatchLocked(batch);
            }
            finally
            {
                _db.EndReplayable();
            }
        }
    }

    private ApplyResult ApplyBatchLocked(ChangeBatch batch)
    {
        using var transaction = _db.BeginReplayable();
        var state = ReadState(transaction);
        if (batch.Epoch != state.Epoch)
        {
            throw new EpochMismatchException(state.Epoch, batch.Epoch);
        }

        if (batch.UpTo <= state.Cursor)
        {
            return new ApplyResult(ApplyOutcome.AlreadyApplied, state.Cursor, 0);
        }

        if (batch.After > state.Cursor)
        {
            throw new FeedGapException(state.Cursor, batch.After);
        }

        var fences = PurgeFences.Load(_db, transaction);
        var writer = new ChangeWriter(_db, transaction, _options.StoreEmbeddings);
        try
        {
            foreach (var change in batch.Changes)
            {
                if (change.Position > state.Cursor && !fences.Excludes(change))
                {
                    writer.Write(change);
                }
            }
        }
        catch (SqliteException e) when (e.SqliteErrorCode == 1)
        {
            // SQLITE_ERROR is what json_extract raises for a payload that is not JSON; I/O errors stay what they are.
            throw new MalformedBatchException($"Writing the batch ({batch.After}, {batch.UpTo}] failed: {e.Message}", e);
        }
        finally
        {
            writer.Dispose();
        }

        var changes = writer.ToChangeSet() with { Bootstrapping = batch.Progress is not null, CaughtUp = !batch.HasMore };
        if (!changes.IsEmpty || changes.CaughtUp)
        {
            _options.ChangeSink?.OnChanges(changes, transaction);
        }

        _db.Execute("""
            UPDATE sync_state SET
                cursor = $upTo,
                head = max(head, $head, $upTo),
                lag_since_ms = CASE WHEN max(head, $head) > $upTo THEN coalesce(lag_since_ms, $now) ELSE NULL END,
                last_sync_at_ms = $now,
                bootstrap_sent = $sent,
                bootstrap_total = $total
            """, transaction,
            ("$upTo", batch.UpTo), ("$head", batch.Head), ("$now", _db.NowUnixMs),
            ("$sent", batch.Progress?.ItemsSent), ("$total", batch.Progress?.TotalEstimate));
        PurgeFences.Retire(_db, transaction, batch.UpTo);
        transaction.Commit();
        return new ApplyResult(ApplyOutcome.Applied, batch.UpTo, writer.Written);
    }

    private static void Validate(ChangeBatch batch)
    {
        if (batch.Changes is null || batch.UpTo < batch.After || batch.After < 0)
        {
            throw new MalformedBatchException($"The batch range ({batch.After}, {batch.UpTo}] is invalid.");
        }

        var previous = batch.After;
        foreach (var change in batch.Changes)
        {
            if (change is null || change.Position <= batch.After || change.Position > batch.UpTo || change.Position < previous)
            {
                throw new MalformedBatchException(
                    $"A change at position {change?.Position} is outside the batch range ({batch.After}, {batch.UpTo}] or out of order.");
            }

            if (string.IsNullOrEmpty(change.Entity) || string.IsNullOrEmpty(change.EntityId)
                || (change.Operation == ChangeOperation.Upsert && change.Payload is null))
            {
                throw new MalformedBatchException($"The change at position {change.Position} lacks its entity, id or payload.");
            }

            if (change.PackedEmbedding is { } packed && packed.Length % sizeof(float) != 0)
            {
                throw new MalformedBatchException($"The change at position {change.Position} has a packed embedding of {packed.Length} bytes, not whole floats.");
            }

            previous = change.Position;
        }
    }
}
