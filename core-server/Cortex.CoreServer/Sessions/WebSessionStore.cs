using Cortex.CoreServer.Database;
using Cortex.SharedModel.Ids;
using Cortex.SharedModel.Principals;
using Dapper;
using Npgsql;

namespace Cortex.CoreServer.Sessions;

/// <summary>A live web session with its principal, as loaded for each cookie-authenticated request.</summary>
internal sealed record ActiveSession(
    string SessionId,
    string CsrfToken,
    DateTimeOffset LastSeenAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset AbsoluteExpiresAt,
    Principal Principal);

/// <summary>A principal with its password hash, for sign-in and password changes.</summary>
internal sealed record PrincipalCredentials(Principal Principal, string? PasswordHash);

/// <summary>SQL for passwords and web sessions.</summary>
internal sealed class WebSessionStore(NpgsqlDataSource dataSource)
{
    private const string PrincipalColumns =
        "p.id, p.handle, p.display_name, p.kind, p.role, p.disabled, p.version, p.created_at, p.updated_at";

    public async Task<PrincipalCredentials?> FindByHandleAsync(string handle, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await FindAsync(connection, null, "p.handle = @value", handle, cancellationToken);
    }

    public static async Task<PrincipalCredentials?> FindByIdAsync(WriteSession session, string id, CancellationToken cancellationToken = default)
    {
        await session.BeginAsync(cancellationToken);
        return await FindAsync(session.Connection, session.Transaction, "p.id = @value FOR UPDATE", id, cancellationToken);
    }

    public async Task<ActiveSession?> FindActiveAsync(byte[] tokenHash, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<SessionRow, Principal, ActiveSession>(
            new CommandDefinition(
                $"""
                SELECT s.id AS session_id, s.csrf_token, s.last_seen_at, s.expires_at, s.absolute_expires_at,
                       {PrincipalColumns}
                FROM web_sessions s JOIN principals p ON p.id = s.principal_id
                WHERE s.token_hash = @tokenHash AND s.revoked_at IS NULL AND s.expires_at > @now
                """,
                new { tokenHash, now = now.UtcDateTime },
                cancellationToken: cancellationToken),
            (s, principal) => new ActiveSession(s.SessionId, s.CsrfToken, s.LastSeenAt, s.ExpiresAt, s.AbsoluteExpiresAt, principal),
            splitOn: "id");
        return rows.SingleOrDefault();
    }

    public static async Task<string> CreateAsync(
        WriteSession session,
        string principalId,
        byte[] tokenHash,
        string csrfToken,
        DateTimeOffset now,
        DateTimeOffset expiresAt,
        DateTimeOffset absoluteExpiresAt,
        string? remoteIp,
        string? userAgent,
        CancellationToken cancellationToken = default)
    {
        await session.BeginAsync(cancellationToken);
        var id = CortexId.New();
        await session.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO web_sessions (
                id, token_hash, principal_id, csrf_token, created_at, last_seen_at, expires_at, absolute_expires_at, remote_ip, user_agent)
            VALUES (@id, @tokenHash, @principalId, @csrfToken, @now, @now, @expiresAt, @absoluteExpiresAt, @remoteIp, @userAgent)
            """,
            new
            {
                id,
                tokenHash,
                principalId,
                csrfToken,
                now = now.UtcDateTime,
                expiresAt = expiresAt.UtcDateTime,
                absoluteExpiresAt = absoluteExpiresAt.UtcDateTime,
                remoteIp,
                userAgent,
            },
            session.Transaction,
            cancellationToken: cancellationToken));
        return id;
    }

    /// <summary>Slides the expiry; sessions are touched at most once a minute so reads stay cheap.</summary>
    public async Task TouchAsync(string sessionId, DateTimeOffset now, DateTimeOffset expiresAt, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE web_sessions SET last_seen_at = @now, expires_at = @expiresAt WHERE id = @sessionId AND revoked_at IS NULL",
            new { sessionId, now = now.UtcDateTime, expiresAt = expiresAt.UtcDateTime },
            cancellationToken: cancellationToken));
    }

    public static async Task<bool> RevokeAsync(WriteSession session, string sessionId, CancellationToken cancellationToken = default)
    {
        await session.BeginAsync(cancellationToken);
        return await session.Connection.ExecuteAsync(new CommandDefinition(
            "UPDATE web_sessions SET revoked_at = now() WHERE id = @sessionId AND revoked_at IS NULL",
            new { sessionId },
            session.Transaction,
            cancellationToken: cancellationToken)) > 0;
    }

    /// <summary>Ends a previous session of the same browser, if its cookie still names a live one.</summary>
    public static async Task RevokeByTokenAsync(WriteSession session, byte[] tokenHash, CancellationToken cancellationToken = default)
    {
        await session.BeginAsync(cancellationToken);
        await session.Connection.ExecuteAsync(new CommandDefinition(
            "UPDATE web_sessions SET revoked_at = now() WHERE token_hash = @tokenHash AND revoked_at IS NULL",
            new { tokenHash },
            session.Transaction,
            cancellationToken: cancellationToken));
    }

    /// <summary>Ends every session of a principal except <paramref name="keepSessionId"/>; returns how many ended.</summary>
    public static async Task<int> RevokeAllAsync(
        WriteSession session, string principalId, string? keepSessionId, CancellationToken cancellationToken = default)
    {
        await session.BeginAsync(cancellationToken);
        return await session.Connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE web_sessions SET revoked_at = now()
            WHERE principal_id = @principalId AND revoked_at IS NULL AND (@keepSessionId::text IS NULL OR id <> @keepSessionId)
            """,
            new { principalId, keepSessionId },
            session.Transaction,
            cancellationToken: cancellationToken));
    }

    public static async Task SetPasswordHashAsync(
        WriteSession session, string principalId, string passwordHash, CancellationToken cancellationToken = default)
    {
        await session.BeginAsync(cancellationToken);
        await session.Connection.ExecuteAsync(new CommandDefinition(
            "UPDATE principals SET password_hash = @passwordHash, password_changed_at = now() WHERE id = @principalId",
            new { principalId, passwordHash },
            session.Transaction,
            cancellationToken: cancellationToken));
    }

    /// <summary>Drops sessions that ended more than a week ago; run opportunistically at sign-in.</summary>
    public static async Task PruneAsync(WriteSession session, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await session.BeginAsync(cancellationToken);
        await session.Connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM web_sessions WHERE coalesce(revoked_at, expires_at) < @cutoff",
            new { cutoff = (now - TimeSpan.FromDays(7)).UtcDateTime },
            session.Transaction,
            cancellationToken: cancellationToken));
    }

    private static async Task<PrincipalCredentials?> FindAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, string where, string value, CancellationToken cancellationToken)
    {
        var rows = await connection.QueryAsync<PasswordRow, Principal, PrincipalCredentials>(
            new CommandDefinition(
                $"SELECT p.password_hash, {PrincipalColumns} FROM principals p WHERE {where}",
                new { value },
                transaction,
                cancellationToken: cancellationToken),
            (row, principal) => new PrincipalCredentials(principal, row?.PasswordHash),
            splitOn: "id");
        return rows.SingleOrDefault();
    }

    private sealed record PasswordRow
    {
        public string? PasswordHash { get; init; }
    }

    private sealed record SessionRow
    {
        public required string SessionId { get; init; }
        public required string CsrfToken { get; init; }
        public DateTimeOffset LastSeenAt { get; init; }
        public DateTimeOffset ExpiresAt { get; init; }
        public DateTimeOffset AbsoluteExpiresAt { get; init; }
    }
}
