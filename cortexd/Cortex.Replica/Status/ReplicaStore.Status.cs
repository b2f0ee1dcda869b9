namespace Cortex.Replica;

public sealed partial class ReplicaStore
{
    public ReplicaStatus GetStatus(int recentRejections = 10)
    {
        var outbox = Outbox.Summary();
        var rejections = Outbox.RecentRejections(recentRejections);
        lock (_db.Gate)
        {
            var now = _db.Time.GetUtcNow();
            var state = ReadState(null);
            var counts = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var table in EntityTables.All)
            {
                counts[table.Entity] = _db.Scalar<long>($"SELECT count(*) FROM {table.Table}");
            }

            using (var command = _db.Command("SELECT entity, count(*) FROM other_entities GROUP BY entity"))
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    counts[reader.GetString(0)] = reader.GetInt64(1);
                }
            }

            var recent = RecentResets(null, now.ToUnixTimeMilliseconds());
            return new ReplicaStatus
            {
                Sync = state,
                LagPositions = Math.Max(0, state.Head - state.Cursor),
                Lag = state.LagSince is { } since && now > since ? now - since : TimeSpan.Zero,
                Outbox = outbox,
                OldestPendingAge = outbox.OldestPendingCreatedAt is { } oldest ? now - oldest : null,
                RecentRejections = rejections,
                ItemCounts = counts,
                DocumentCount = _db.Scalar<int>("SELECT count(*) FROM documents"),
                FileSizeBytes = FileSize(Path) + FileSize(Path + "-wal"),
                RecentResets = recent,
                ResetLoopSuspected = recent > _options.ResetLoopThreshold,
                AsOf = now,
            };
        }
    }

    private static long FileSize(string path) => File.Exists(path) ? new FileInfo(path).Length : 0;
}
