using Microsoft.Data.Sqlite;

namespace Cortex.Replica;

public sealed partial class ReplicaOutbox
{
    public OutboxItem? Get(string clientId)
    {
        lock (_db.Gate)
        {
            return Read(null, "WHERE client_id = $id", ("$id", clientId)).SingleOrDefault();
        }
    }

    /// <summary>
    /// Read-your-writes: the writes a reader must overlay on the replica, in creation order. Undecided writes show as
    /// pending; accepted writes (and drafts) stay until the cursor reaches the position their verdict named, so the
    /// replica never shows server state older than its own accepted writes.
    /// </summary>
    public IReadOnlyList<LocalWrite> LocalWrites()
    {
        lock (_db.Gate)
        {
            return [.. Read(null, """
                WHERE state IN ('pending', 'sent')
                   OR (state IN ('accepted', 'draft') AND visible_at > (SELECT cursor FROM sync_state))
                ORDER BY client_id
                """).Select(item => new LocalWrite(item,
                    item.State is OutboxState.Pending or OutboxState.Sent ? LocalWriteVisibility.Pending : LocalWriteVisibility.AwaitingFeed))];
        }
    }

    /// <summary>True once the write's effect is in the replica: decided, and the cursor has reached its position.</summary>
    public bool IsVisibleInReplica(string clientId)
    {
        lock (_db.Gate)
        {
            return _db.Scalar<long>("""
                SELECT count(*) FROM outbox WHERE client_id = $id AND state IN ('accepted', 'draft')
                   AND (visible_at IS NULL OR visible_at <= (SELECT cursor FROM sync_state))
                """, null, ("$id", clientId)) == 1;
        }
    }

    /// <summary>The feed position the cursor must reach for every accepted write to be visible (0 when there is none):
    /// what "wait until caught up" waits for besides the head.</summary>
    public long ReadYourWritesHorizon()
    {
        lock (_db.Gate)
        {
            return _db.Scalar<long?>("SELECT max(visible_at) FROM outbox WHERE state IN ('accepted', 'draft')") ?? 0;
        }
    }

    public IReadOnlyList<OutboxItem> RecentRejections(int max = 10)
    {
        lock (_db.Gate)
        {
            return Read(null, "WHERE state = 'rejected' ORDER BY decided_at_ms DESC, client_id DESC LIMIT $max", ("$max", max));
        }
    }

    public OutboxSummary Summary()
    {
        lock (_db.Gate)
        {
            var counts = Enum.GetValues<OutboxState>().ToDictionary(s => s, _ => 0);
            using (var command = _db.Command("SELECT state, count(*) FROM outbox GROUP BY state"))
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    counts[ParseState(reader.GetString(0))] = reader.GetInt32(1);
                }
            }

            var oldest = _db.Scalar<long?>("SELECT min(created_at_ms) FROM outbox WHERE state IN ('pending', 'sent')");
            return new OutboxSummary(counts[OutboxState.Pending] + counts[OutboxState.Sent], ReplicaStore.FromUnixMs(oldest), counts);
        }
    }

    /// <summary>Deletes decided items older than <paramref name="keepFor"/> whose effect is visible (or that were
    /// rejected); returns how many. Undecided and not-yet-visible items are never pruned.</summary>
    public int Prune(TimeSpan keepFor)
    {
        lock (_db.Gate)
        {
            return _db.Execute("""
                DELETE FROM outbox WHERE decided_at_ms <= $before
                  AND (state = 'rejected' OR (state IN ('accepted', 'draft') AND coalesce(visible_at, 0) <= (SELECT cursor FROM sync_state)))
                """, null, ("$before", _db.NowUnixMs - (long)keepFor.TotalMilliseconds));
        }
    }

    private List<OutboxItem> Read(SqliteTransaction? transaction, string where, params (string Name, object? Value)[] parameters)
    {
        using var command = _db.Command($"SELECT {Columns} FROM outbox {where}", transaction, parameters);
        using var reader = command.ExecuteReader();
        var items = new List<OutboxItem>();
        while (reader.Read())
        {
            items.Add(new OutboxItem(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetNullableString(2),
                reader.GetNullableString(3),
                (byte[])reader.GetValue(4),
                reader.GetNullableInt64(5),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(6)),
                ParseState(reader.GetString(7)),
                reader.GetInt32(8),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(9)),
                reader.GetNullableString(10),
                reader.GetNullableInt64(11),
                reader.GetNullableString(12),
                reader.GetNullableString(13),
                reader.GetNullableString(14),
                reader.GetNullableString(15),
                ReplicaStore.FromUnixMs(reader.GetNullableInt64(16))));
        }

        return items;
    }

    private static OutboxState ParseState(string state) => state switch
    {
        "pending" => OutboxState.Pending,
        "sent" => OutboxState.Sent,
        "accepted" => OutboxState.Accepted,
        "draft" => OutboxState.Draft,
        _ => OutboxState.Rejected,
    };
}
