using Cortex.CoreServer.Database;
using Cortex.SharedModel.Feed;
using Cortex.SharedModel.Principals;
using Npgsql;

namespace Cortex.CoreServer.Feed;

/// <summary>A page of the feed: the visible changes after the asked position, where to continue, and the head.</summary>
public sealed record ChangePage(IReadOnlyList<Change> Changes, long Next, long Head);

/// <summary>A page for a replica, with the reader's replica epoch and the access version read in the page's snapshot.</summary>
public sealed record ReplicaPage(ChangePage Page, long Epoch, long AccessVersion);

/// <summary>
/// Reads the change feed, filtered by what the principal may read. Head and rows come from one snapshot, so
/// <see cref="ChangePage.Next"/> never passes a position that could still appear. The sync hub reuses this reader.
/// </summary>
internal sealed class ChangeFeedReader([FromKeyedServices(DatabaseExtensions.SyncReads)] NpgsqlDataSource dataSource)
{
    public const int MaxLimit = 1000;

    private const string PlainHead = "SELECT position, 0::bigint AS epoch, 0::bigint AS access_version FROM feed_head WHERE id = 1";

    // The sync hub needs both on every pull; reading them here saves two round trips on the path that sets sync lag.
    private static readonly string ReplicaHead = $"""
        SELECT position,
               coalesce((SELECT epoch FROM sync_epochs WHERE principal_id = @me), {Sync.SyncEpochs.Initial}) AS epoch,
               (SELECT version FROM sync_access_version WHERE id = 1) AS access_version
        FROM feed_head WHERE id = 1
        """;

    public async Task<ChangePage> ReadAsync(Principal reader, long after, int limit, CancellationToken cancellationToken = default) =>
        (await ReadAsync(reader, after, limit, PlainHead, cancellationToken)).Page;

    /// <summary>A page plus the reader's replica epoch and the access version, all from the page's snapshot.</summary>
    public Task<ReplicaPage> ReadForReplicaAsync(Principal reader, long after, int limit, CancellationToken cancellationToken = default) =>
        ReadAsync(reader, after, limit, ReplicaHead, cancellationToken);

    private async Task<ReplicaPage> ReadAsync(Principal reader, long after, int limit, string headSql, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // One statement, so one snapshot for the head and the rows (and one round trip). The head comes on every row;
        // with no visible change there is a single row of head and nulls.
        await using var command = new NpgsqlCommand(
            $"""
            SELECT c.position, c.entity, c.entity_id, c.operation, c.version, c.subcortex_id, c.principal_id, c.committed_at,
                   h.position AS head, h.epoch, h.access_version
            FROM ({headSql}) h
            LEFT JOIN LATERAL (
                SELECT c.* FROM changes c
                LEFT JOIN subcortexes s ON s.id = c.subcortex_id
                WHERE c.position > @after AND c.position <= h.position
                  -- Quarantined items are never fed (a bootstrap must not see them); their quarantine is fed as a delete.
                  AND (c.operation = 'deleted' OR NOT EXISTS (SELECT 1 FROM quarantines q
                                                              WHERE q.entity = c.entity AND q.entity_id = c.entity_id AND q.lifted_at IS NULL))
                  -- Notifications are private to their principal, admins included.
                  AND (c.entity <> 'notification' OR c.principal_id = @me)
                  AND (@isAdmin OR (
                        (c.principal_id IS NULL OR c.principal_id = @me)
                    AND (c.subcortex_id IS NULL OR NOT s.is_private
                         OR EXISTS (SELECT 1 FROM subcortex_members m WHERE m.subcortex_id = c.subcortex_id AND m.principal_id = @me))))
                ORDER BY c.position
                LIMIT @limit
            ) c ON true
            ORDER BY c.position
            """,
            connection);
        command.Parameters.AddWithValue("after", after);
        command.Parameters.AddWithValue("limit", limit);
        command.Parameters.AddWithValue("me", reader.Id);
        command.Parameters.AddWithValue("isAdmin", reader.Role == Role.Admin);
        var (head, epoch, accessVersion) = (0L, 0L, 0L);
        var changes = new List<Change>();
        await using (var rows = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await rows.ReadAsync(cancellationToken))
            {
                (head, epoch, accessVersion) = (rows.GetInt64(8), rows.GetInt64(9), rows.GetInt64(10));
                if (rows.IsDBNull(0))
                {
                    continue;
                }

                changes.Add(new Change
                {
                    Position = rows.GetInt64(0),
                    Entity = rows.GetString(1),
                    EntityId = rows.GetString(2),
                    Operation = Enum.Parse<ChangeOperation>(rows.GetString(3), ignoreCase: true),
                    Version = rows.GetInt64(4),
                    SubcortexId = rows.IsDBNull(5) ? null : rows.GetString(5),
                    PrincipalId = rows.IsDBNull(6) ? null : rows.GetString(6),
                    CommittedAt = rows.GetFieldValue<DateTimeOffset>(7),
                });
            }
        }

        var next = changes.Count == limit ? changes[^1].Position : Math.Max(head, after);
        return new ReplicaPage(new ChangePage(changes, next, head), epoch, accessVersion);
    }
}
