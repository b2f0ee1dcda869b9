using Cortex.CoreServer.Audit;
using Cortex.CoreServer.Database;
using Cortex.CoreServer.Feed;
using Dapper;
using Npgsql;
using FeedOperation = Cortex.SharedModel.Feed.ChangeOperation;

namespace Cortex.CoreServer.Notifications;

/// <summary>
/// SQL for one principal's notifications; every query is scoped to that principal, so another's notification is simply
/// not found. The worker creates them (Cortex.Worker/Notifications); the server lists them and records reads.
/// </summary>
internal sealed class NotificationStore(NpgsqlDataSource dataSource)
{
    public const string Entity = "notification";

    public const string Columns =
        "n.id, n.principal_id, n.kind, n.subject_entity, n.subject_id, n.subcortex_id, n.actor_id, n.title, n.read_at, n.version, n.created_at";

    /// <summary>Unread first, then read; newest first within each. The cursor is the (read?, id) of the last row.</summary>
    public async Task<List<Notification>> ListAsync(
        string me, bool unreadOnly, (bool Read, string Id)? after, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<Notification>(new CommandDefinition(
            $"""
            SELECT {Columns} FROM notifications n
            WHERE n.principal_id = @me AND (NOT @unreadOnly OR n.read_at IS NULL)
              AND (@afterId::text IS NULL
                   OR (n.read_at IS NOT NULL) > @afterRead
                   OR ((n.read_at IS NOT NULL) = @afterRead AND n.id < @afterId))
            ORDER BY (n.read_at IS NOT NULL), n.id DESC
            LIMIT @limit
            """,
            new { me, unreadOnly, afterRead = after?.Read ?? false, afterId = after?.Id, limit },
            cancellationToken: cancellationToken));
        return rows.AsList();
    }

    public async Task<Notification?> FindAsync(string me, string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<Notification>(new CommandDefinition(
            $"SELECT {Columns} FROM notifications n WHERE n.id = @id AND n.principal_id = @me",
            new { me, id },
            cancellationToken: cancellationToken));
    }

    public async Task<long> CountUnreadAsync(string me, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT count(*) FROM notifications WHERE principal_id = @me AND read_at IS NULL",
            new { me },
            cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Marks <paramref name="ids"/> (or, when null, every unread notification of <paramref name="me"/>) read and records a
    /// private feed change for each one that was unread. Already-read ones are left alone: reading twice is a no-op.
    /// </summary>
    public static async Task<List<Notification>> MarkReadAsync(
        WriteSession session, Actor actor, string me, string[]? ids, CancellationToken cancellationToken = default)
    {
        await session.BeginAsync(cancellationToken);
        var rows = (await session.Connection.QueryAsync<Notification>(new CommandDefinition(
            $"""
            UPDATE notifications AS n SET read_at = now(), version = version + 1
            WHERE n.principal_id = @me AND n.read_at IS NULL AND (@ids::text[] IS NULL OR n.id = ANY(@ids))
            RETURNING {Columns}
            """,
            new { me, ids },
            session.Transaction,
            cancellationToken: cancellationToken))).AsList();
        foreach (var notification in rows)
        {
            session.Record(Change(notification));
            session.Audit(new AuditEntry("notification.read", AuditOutcome.Succeeded, actor, Entity, notification.Id));
        }

        return rows;
    }

    /// <summary>The feed change of a notification: scoped to its principal, never to a subcortex's readers.</summary>
    public static PendingChange Change(Notification notification) =>
        new(Entity, notification.Id, FeedOperation.Updated, notification.Version, PrincipalId: notification.PrincipalId);
}
