namespace Cortex.Replica;

public sealed partial class ReplicaStore
{
    /// <summary>
    /// Wipes the synced data (entities, documents, purge fences), keeps the outbox, and restarts the feed at cursor 0 in
    /// <paramref name="newEpoch"/>, in one transaction. A repeated or stale reset (the replica is already at or past the
    /// epoch) changes nothing, so a duplicated reset message cannot wipe a re-bootstrapped replica. Adopting the first
    /// epoch (from 0) is not counted as a reset. Resets are logged; too many within the window are reported as a
    /// suspected reset loop.
    /// </summary>
    public EpochResetResult ResetEpoch(long newEpoch, string reason)
    {
        ArgumentNullException.ThrowIfNull(reason);
        lock (_db.Gate)
        {
            using var transaction = _db.Begin();
            var state = ReadState(transaction);
            var now = _db.NowUnixMs;
            if (newEpoch > state.Epoch)
            {
                var counted = state.Epoch != 0;
                WipeSyncedData(transaction);
                _db.Execute("""
                    UPDATE sync_state SET epoch = $e, cursor = 0, head = 0, lag_since_ms = NULL,
                        bootstrap_sent = NULL, bootstrap_total = NULL, reset_count = reset_count + $c
                    """, transaction, ("$e", newEpoch), ("$c", counted ? 1 : 0));
                if (counted)
                {
                    _db.Execute("INSERT INTO epoch_resets (at_ms, from_epoch, to_epoch, reason) VALUES ($t, $f, $e, $r)", transaction,
                        ("$t", now), ("$f", state.Epoch), ("$e", newEpoch), ("$r", reason));
                }

                _options.ChangeSink?.OnChanges(new ReplicaChangeSet { Cleared = true }, transaction);
            }

            var recent = RecentResets(transaction, now);
            var total = _db.Scalar<int>("SELECT reset_count FROM sync_state", transaction);
            transaction.Commit();
            return new EpochResetResult(newEpoch > state.Epoch, Math.Max(newEpoch, state.Epoch), total, recent, recent > _options.ResetLoopThreshold);
        }
    }

    private int RecentResets(Microsoft.Data.Sqlite.SqliteTransaction? transaction, long nowMs) =>
        _db.Scalar<int>("SELECT count(*) FROM epoch_resets WHERE at_ms >= $since", transaction,
            ("$since", nowMs - (long)_options.ResetLoopWindow.TotalMilliseconds));
}
