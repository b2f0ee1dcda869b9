using Cortex.CoreServer.Auth;
using Cortex.CoreServer.Database;
using Cortex.SharedModel.Ids;
using Cortex.SharedModel.Principals;
using Dapper;
using Npgsql;

namespace Cortex.CoreServer.Principals;

/// <summary>An API key just created: the only moment its secret is known.</summary>
public sealed record CreatedApiKey(ApiKey ApiKey, string Key);

/// <summary>SQL for API keys. Only the prefix and the hash of the secret are stored.</summary>
internal sealed class KeyStore(NpgsqlDataSource dataSource)
{
    private const string Columns = "id, principal_id, prefix, name, created_at, expires_at, revoked_at, last_used_at";

    public static async Task<CreatedApiKey> InsertAsync(
        WriteSession session,
        string principalId,
        string name,
        DateTimeOffset? expiresAt,
        CancellationToken cancellationToken = default)
    {
        await session.BeginAsync(cancellationToken);
        var (key, prefix, secretHash) = ApiKeys.Generate();
        var apiKey = await session.Connection.QuerySingleAsync<ApiKey>(new CommandDefinition(
            $"""
            INSERT INTO api_keys (id, principal_id, prefix, secret_hash, name, expires_at)
            VALUES (@id, @principalId, @prefix, @secretHash, @name, @expiresAt)
            RETURNING {Columns}
            """,
            new { id = CortexId.New(), principalId, prefix, secretHash, name, expiresAt = expiresAt?.UtcDateTime },
            session.Transaction,
            cancellationToken: cancellationToken));
        return new CreatedApiKey(apiKey, key);
    }

    public async Task<ApiKey?> FindAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<ApiKey>(new CommandDefinition(
            $"SELECT {Columns} FROM api_keys WHERE id = @id", new { id }, cancellationToken: cancellationToken));
    }

    public async Task<List<ApiKey>> ListAsync(string principalId, string? afterId, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<ApiKey>(new CommandDefinition(
            $"""
            SELECT {Columns} FROM api_keys
            WHERE principal_id = @principalId AND (@afterId::text IS NULL OR id > @afterId)
            ORDER BY id LIMIT @limit
            """,
            new { principalId, afterId, limit },
            cancellationToken: cancellationToken));
        return rows.AsList();
    }

    /// <summary>
    /// The first half of a rotation: the key, if still usable at <paramref name="now"/>, is set to expire at
    /// <paramref name="overlapEnd"/> (or keeps an earlier expiry). Null when the key is revoked, expired or unknown.
    /// </summary>
    public static async Task<ApiKey?> ExpireForRotationAsync(
        WriteSession session, string id, DateTimeOffset now, DateTimeOffset overlapEnd, CancellationToken cancellationToken = default)
    {
        await session.BeginAsync(cancellationToken);
        await KeyCacheBroadcast.NotifyAsync(session.Connection, session.Transaction, cancellationToken);
        return await session.Connection.QuerySingleOrDefaultAsync<ApiKey>(new CommandDefinition(
            $"""
            UPDATE api_keys SET expires_at = least(coalesce(expires_at, @overlapEnd), @overlapEnd)
            WHERE id = @id AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > @now)
            RETURNING {Columns}
            """,
            new { id, now = now.UtcDateTime, overlapEnd = overlapEnd.UtcDateTime },
            session.Transaction,
            cancellationToken: cancellationToken));
    }

    /// <summary>Revokes the key now, on every instance; revoking a revoked key keeps the first revocation time.</summary>
    public static async Task<ApiKey?> RevokeAsync(WriteSession session, string id, CancellationToken cancellationToken = default)
    {
        await session.BeginAsync(cancellationToken);
        await KeyCacheBroadcast.NotifyAsync(session.Connection, session.Transaction, cancellationToken);
        return await session.Connection.QuerySingleOrDefaultAsync<ApiKey>(new CommandDefinition(
            $"""
            UPDATE api_keys SET revoked_at = coalesce(revoked_at, now())
            WHERE id = @id
            RETURNING {Columns}
            """,
            new { id },
            session.Transaction,
            cancellationToken: cancellationToken));
    }
}
