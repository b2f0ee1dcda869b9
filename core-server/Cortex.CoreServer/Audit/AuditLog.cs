using Cortex.CoreServer.Auth;
using Dapper;
using Npgsql;

namespace Cortex.CoreServer.Audit;

/// <summary>
/// The append-only audit log (a trigger rejects UPDATE, DELETE and TRUNCATE). Writes are appended inside their own
/// transaction by <see cref="Database.WriteSession"/>; denials and failed authentications are appended here on their
/// own connection, because the request that caused them writes nothing else.
/// </summary>
internal sealed class AuditLog(NpgsqlDataSource dataSource)
{
    private const string InsertSql =
        """
        INSERT INTO audit_events (principal_id, key_id, action, outcome, target_kind, target_id, method, path, remote_ip, detail)
        SELECT * FROM unnest(@principalIds, @keyIds, @actions, @outcomes, @targetKinds, @targetIds, @methods, @paths, @remoteIps, @details)
        """;

    public static async Task AppendAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction? transaction,
        IReadOnlyList<AuditEntry> entries,
        CancellationToken cancellationToken = default)
    {
        if (entries.Count == 0)
        {
            return;
        }

        await connection.ExecuteAsync(new CommandDefinition(
            InsertSql,
            new
            {
                principalIds = entries.Select(e => e.Actor.PrincipalId).ToArray(),
                keyIds = entries.Select(e => e.Actor.KeyId).ToArray(),
                actions = entries.Select(e => e.Action).ToArray(),
                outcomes = entries.Select(e => e.Outcome).ToArray(),
                targetKinds = entries.Select(e => e.TargetKind).ToArray(),
                targetIds = entries.Select(e => e.TargetId).ToArray(),
                methods = entries.Select(e => e.Actor.Method).ToArray(),
                paths = entries.Select(e => e.Actor.Path).ToArray(),
                remoteIps = entries.Select(e => e.Actor.RemoteIp).ToArray(),
                details = entries.Select(e => e.Detail).ToArray(),
            },
            transaction,
            cancellationToken: cancellationToken));
    }

    public async Task RecordAsync(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await AppendAsync(connection, null, [entry], cancellationToken);
    }

    public Task RecordDeniedAsync(HttpContext context, string detail, CancellationToken cancellationToken = default) =>
        RecordAsync(new AuditEntry("request.denied", AuditOutcome.Denied, context.Actor(), Detail: detail), cancellationToken);

    public async Task<IReadOnlyList<AuditEvent>> ListAsync(long? before, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<AuditEvent>(new CommandDefinition(
            """
            SELECT id, at, principal_id, key_id, action, outcome, target_kind, target_id, method, path, remote_ip, detail
            FROM audit_events
            WHERE @before::bigint IS NULL OR id < @before
            ORDER BY id DESC
            LIMIT @limit
            """,
            new { before, limit },
            cancellationToken: cancellationToken));
        return rows.AsList();
    }
}
