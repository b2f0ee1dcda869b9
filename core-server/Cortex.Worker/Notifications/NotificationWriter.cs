using Cortex.SharedModel.Ids;
using Dapper;
using Npgsql;

namespace Cortex.Worker.Notifications;

/// <summary>
/// Creates notifications exactly once per (principal, source event), each with its change-feed row (private to the
/// principal) and a NOTIFY on <see cref="ChannelName"/> that the server turns into a live push, all in one transaction.
/// </summary>
public sealed class NotificationWriter(NpgsqlDataSource dataSource)
{
    public const string ChannelName = "cortex_notifications";

    /// <returns>How many were new.</returns>
    public async Task<int> WriteAsync(IReadOnlyList<NewNotification> notifications, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(notifications);
        if (notifications.Count == 0)
        {
            return 0;
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var created = (await connection.QueryAsync<(string Id, string PrincipalId, long Version)>(new CommandDefinition(
            """
            INSERT INTO notifications (id, principal_id, kind, subject_entity, subject_id, subcortex_id, actor_id, title, dedup_key)
            SELECT * FROM unnest(@ids, @principals, @kinds, @entities, @subjects, @subcortexes, @actors, @titles, @keys)
            ON CONFLICT (principal_id, dedup_key) DO NOTHING
            RETURNING id, principal_id, version
            """,
            new
            {
                ids = notifications.Select(_ => CortexId.New()).ToArray(),
                principals = notifications.Select(n => n.PrincipalId).ToArray(),
                kinds = notifications.Select(n => n.Kind).ToArray(),
                entities = notifications.Select(n => n.SubjectEntity).ToArray(),
                subjects = notifications.Select(n => n.SubjectId).ToArray(),
                subcortexes = notifications.Select(n => n.SubcortexId).ToArray(),
                actors = notifications.Select(n => n.ActorId).ToArray(),
                titles = notifications.Select(n => n.Title).ToArray(),
                keys = notifications.Select(n => n.DedupKey).ToArray(),
            },
            transaction,
            cancellationToken: cancellationToken))).AsList();
        if (created.Count > 0)
        {
            var ids = created.Select(c => c.Id).ToArray();
            await connection.ExecuteAsync(new CommandDefinition(
                $"SELECT pg_notify('{ChannelName}', id) FROM unnest(@ids) AS id", new { ids }, transaction, cancellationToken: cancellationToken));
            // The same append as the server's ChangeFeedWriter, and like it the last statement before COMMIT: the
            // feed_head row lock is held until COMMIT, so positions become visible in commit order (DECISIONS.md).
            await connection.ExecuteAsync(new CommandDefinition(
                """
                WITH head AS (UPDATE feed_head SET position = position + @count WHERE id = 1 RETURNING position)
                INSERT INTO changes (position, entity, entity_id, operation, version, subcortex_id, principal_id)
                SELECT head.position - @count + c.ord, 'notification', c.id, 'created', c.version, NULL, c.principal_id
                FROM head, unnest(@ids, @versions, @principals) WITH ORDINALITY AS c(id, version, principal_id, ord)
                """,
                new
                {
                    count = (long)created.Count,
                    ids,
                    versions = created.Select(c => c.Version).ToArray(),
                    principals = created.Select(c => c.PrincipalId).ToArray(),
                },
                transaction,
                cancellationToken: cancellationToken));
        }

        await transaction.CommitAsync(cancellationToken);
        return created.Count;
    }
}
