using Cortex.CoreServer.Auth;
using Cortex.CoreServer.Database;
using Cortex.SharedModel.Ids;
using Cortex.SharedModel.Principals;
using Dapper;
using Npgsql;

namespace Cortex.CoreServer.Principals;

/// <summary>SQL for principals.</summary>
internal sealed class PrincipalStore(NpgsqlDataSource dataSource)
{
    public const string Columns = "id, handle, display_name, kind, role, disabled, version, created_at, updated_at";

    public static async Task<Principal> InsertAsync(
        WriteSession session,
        string handle,
        string displayName,
        PrincipalKind kind,
        Role role,
        CancellationToken cancellationToken = default)
    {
        await session.BeginAsync(cancellationToken);
        return await session.Connection.QuerySingleAsync<Principal>(new CommandDefinition(
            $"""
            INSERT INTO principals (id, handle, display_name, kind, role)
            VALUES (@id, @handle, @displayName, @kind, @role)
            RETURNING {Columns}
            """,
            new { id = CortexId.New(), handle, displayName, kind = SqlNames.Of(kind), role = SqlNames.Of(role) },
            session.Transaction,
            cancellationToken: cancellationToken));
    }

    public async Task<Principal?> FindAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<Principal>(new CommandDefinition(
            $"SELECT {Columns} FROM principals WHERE id = @id", new { id }, cancellationToken: cancellationToken));
    }

    public async Task<List<Principal>> ListAsync(string? afterId, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<Principal>(new CommandDefinition(
            $"""
            SELECT {Columns} FROM principals
            WHERE @afterId::text IS NULL OR id > @afterId
            ORDER BY id LIMIT @limit
            """,
            new { afterId, limit },
            cancellationToken: cancellationToken));
        return rows.AsList();
    }

    /// <summary>Applies the given fields if the row is still at <paramref name="expectedVersion"/>; null when it is not.</summary>
    public static async Task<Principal?> UpdateAsync(
        WriteSession session,
        string id,
        long expectedVersion,
        string? displayName,
        Role? role,
        bool? disabled,
        CancellationToken cancellationToken = default)
    {
        await session.BeginAsync(cancellationToken);
        // A role change or a disable must reach every instance's key cache, not only this one's.
        await KeyCacheBroadcast.NotifyAsync(session.Connection, session.Transaction, cancellationToken);
        return await session.Connection.QuerySingleOrDefaultAsync<Principal>(new CommandDefinition(
            $"""
            UPDATE principals
            SET display_name = coalesce(@displayName, display_name),
                role = coalesce(@role, role),
                disabled = coalesce(@disabled, disabled),
                version = version + 1,
                updated_at = now()
            WHERE id = @id AND version = @expectedVersion
            RETURNING {Columns}
            """,
            new { id, expectedVersion, displayName, role = SqlNames.Of(role), disabled },
            session.Transaction,
            cancellationToken: cancellationToken));
    }
}
