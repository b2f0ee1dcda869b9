using Cortex.CoreServer.Database;
using Cortex.SharedModel.Content;
using Cortex.SharedModel.Ids;
using Cortex.SharedModel.Principals;
using Dapper;
using Npgsql;

namespace Cortex.CoreServer.Content;

/// <summary>SQL for subcortexes and their members.</summary>
internal sealed class SubcortexStore(NpgsqlDataSource dataSource)
{
    /// <summary>Merging into a merged subcortex is refused, but A→B then B→C makes a chain; it stays short in practice.</summary>
    private const int MaxMergeChain = 32;

    public const string Columns =
        "s.id, s.slug, s.name, s.description, s.state, s.is_private, s.merged_into_id, s.created_by, s.version, s.created_at, s.updated_at";

    /// <summary>
    /// The subcortex with this slug; the slug of a merged subcortex resolves to the one it was merged into (following
    /// a chain of merges), unless <paramref name="followMerges"/> is false.
    /// </summary>
    public async Task<(Subcortex Subcortex, ContentAccess Access)?> FindBySlugAsync(
        string slug, string me, CancellationToken cancellationToken = default, bool followMerges = true)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<Subcortex, ContentAccess, (Subcortex, ContentAccess)>(
            new CommandDefinition(
                $"""
                WITH RECURSIVE chain AS (
                    SELECT id, merged_into_id, 0 AS depth FROM subcortexes WHERE slug = @slug
                    UNION ALL
                    SELECT next.id, next.merged_into_id, chain.depth + 1
                    FROM chain JOIN subcortexes next ON next.id = chain.merged_into_id
                    WHERE @followMerges AND chain.depth < {MaxMergeChain})
                SELECT {Columns}, {ContentAccess.Sql}
                FROM subcortexes s WHERE s.id = (SELECT id FROM chain ORDER BY depth DESC LIMIT 1)
                """,
                new { slug, me, followMerges },
                cancellationToken: cancellationToken),
            (subcortex, access) => (subcortex, access),
            splitOn: "is_private");
        return rows.Select(row => ((Subcortex, ContentAccess)?)row).SingleOrDefault();
    }

    public async Task<List<Subcortex>> ListVisibleAsync(
        Principal reader, string? afterSlug, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<Subcortex>(new CommandDefinition(
            $"""
            SELECT {Columns} FROM subcortexes s
            WHERE (@afterSlug::text IS NULL OR s.slug > @afterSlug)
              AND (NOT s.is_private OR @isAdmin
                   OR EXISTS (SELECT 1 FROM subcortex_members m WHERE m.subcortex_id = s.id AND m.principal_id = @me))
            ORDER BY s.slug LIMIT @limit
            """,
            new { afterSlug, limit, me = reader.Id, isAdmin = reader.Role == Role.Admin },
            cancellationToken: cancellationToken));
        return rows.AsList();
    }

    public static async Task<Subcortex> InsertAsync(
        WriteSession session,
        string slug,
        string name,
        string description,
        SubcortexState state,
        bool isPrivate,
        string createdBy,
        CancellationToken cancellationToken = default)
    {
        await session.BeginAsync(cancellationToken);
        var subcortex = await session.Connection.QuerySingleAsync<Subcortex>(new CommandDefinition(
            $"""
            INSERT INTO subcortexes AS s (id, slug, name, description, state, is_private, created_by)
            VALUES (@id, @slug, @name, @description, @state, @isPrivate, @createdBy)
            RETURNING {Columns}
            """,
            new { id = CortexId.New(), slug, name, description, state = SqlNames.Of(state), isPrivate, createdBy },
            session.Transaction,
            cancellationToken: cancellationToken));
        if (isPrivate)
        {
            await AddMemberAsync(session, subcortex.Id, createdBy, cancellationToken);
        }

        return subcortex;
    }

    public static async Task<Subcortex?> UpdateAsync(
        WriteSession session,
        string id,
        long? expectedVersion,
        string? name,
        string? description,
        SubcortexState? state,
        bool? isPrivate,
        CancellationToken cancellationToken = default)
    {
        await session.BeginAsync(cancellationToken);
        return await session.Connection.QuerySingleOrDefaultAsync<Subcortex>(new CommandDefinition(
            $"""
            UPDATE subcortexes AS s
            SET name = coalesce(@name, name), description = coalesce(@description, description),
                state = coalesce(@state, state), is_private = coalesce(@isPrivate, is_private),
                version = version + 1, updated_at = now()
            WHERE id = @id AND (@expectedVersion::bigint IS NULL OR version = @expectedVersion)
            RETURNING {Columns}
            """,
            new { id, expectedVersion, name, description, state = SqlNames.Of(state), isPrivate },
            session.Transaction,
            cancellationToken: cancellationToken));
    }

    /// <returns>True when the principal was not a member before.</returns>
    public static async Task<bool> AddMemberAsync(
        WriteSession session, string subcortexId, string principalId, CancellationToken cancellationToken = default)
    {
        await session.BeginAsync(cancellationToken);
        return await session.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO subcortex_members (subcortex_id, principal_id) VALUES (@subcortexId, @principalId)
            ON CONFLICT DO NOTHING
            """,
            new { subcortexId, principalId },
            session.Transaction,
            cancellationToken: cancellationToken)) == 1;
    }

    /// <returns>True when the principal was a member.</returns>
    public static async Task<bool> RemoveMemberAsync(
        WriteSession session, string subcortexId, string principalId, CancellationToken cancellationToken = default)
    {
        await session.BeginAsync(cancellationToken);
        return await session.Connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM subcortex_members WHERE subcortex_id = @subcortexId AND principal_id = @principalId",
            new { subcortexId, principalId },
            session.Transaction,
            cancellationToken: cancellationToken)) == 1;
    }

    public async Task<List<string>> ListMembersAsync(string subcortexId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT principal_id FROM subcortex_members WHERE subcortex_id = @subcortexId ORDER BY principal_id",
            new { subcortexId },
            cancellationToken: cancellationToken));
        return rows.AsList();
    }
}
