using Cortex.CoreServer.Database;
using Cortex.SharedModel.Content;
using Cortex.SharedModel.Ids;
using Dapper;
using Npgsql;

namespace Cortex.CoreServer.Content;

/// <summary>SQL for threads. Bodies are stored as markdown source plus the sanitized HTML rendered at write time.</summary>
internal sealed class ThreadStore(NpgsqlDataSource dataSource)
{
    private const string Columns =
        "t.id, t.subcortex_id, t.title, t.kind, t.body, t.body_html, t.author_id, t.version, t.created_at, t.updated_at";

    /// <summary>The thread with its subcortex's access facts for <paramref name="me"/>, in one query (the hot read path).</summary>
    public async Task<(CortexThread Thread, ContentAccess Access)?> FindAsync(
        string id, string me, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<CortexThread, ContentAccess, (CortexThread, ContentAccess)>(
            new CommandDefinition(
                $"SELECT {Columns}, {ContentAccess.Sql} FROM threads t JOIN subcortexes s ON s.id = t.subcortex_id WHERE t.id = @id",
                new { id, me },
                cancellationToken: cancellationToken),
            (thread, access) => (thread, access),
            splitOn: "is_private");
        return rows.Select(row => ((CortexThread, ContentAccess)?)row).SingleOrDefault();
    }

    /// <summary>Newest first.</summary>
    public async Task<List<CortexThread>> ListAsync(
        string subcortexId, string? beforeId, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<CortexThread>(new CommandDefinition(
            $"""
            SELECT {Columns} FROM threads t
            WHERE t.subcortex_id = @subcortexId AND (@beforeId::text IS NULL OR t.id < @beforeId)
            ORDER BY t.id DESC LIMIT @limit
            """,
            new { subcortexId, beforeId, limit },
            cancellationToken: cancellationToken));
        return rows.AsList();
    }

    public static async Task<CortexThread> InsertAsync(
        WriteSession session,
        string subcortexId,
        string title,
        ThreadKind kind,
        string body,
        string bodyHtml,
        string authorId,
        CancellationToken cancellationToken = default)
    {
        await session.BeginAsync(cancellationToken);
        return await session.Connection.QuerySingleAsync<CortexThread>(new CommandDefinition(
            $"""
            INSERT INTO threads AS t (id, subcortex_id, title, kind, body, body_html, author_id)
            VALUES (@id, @subcortexId, @title, @kind, @body, @bodyHtml, @authorId)
            RETURNING {Columns}
            """,
            new { id = CortexId.New(), subcortexId, title, kind = SqlNames.Of(kind), body, bodyHtml, authorId },
            session.Transaction,
            cancellationToken: cancellationToken));
    }

    public static async Task<CortexThread?> UpdateAsync(
        WriteSession session,
        string id,
        long expectedVersion,
        string? title,
        ThreadKind? kind,
        string? body,
        string? bodyHtml,
        CancellationToken cancellationToken = default)
    {
        await session.BeginAsync(cancellationToken);
        return await session.Connection.QuerySingleOrDefaultAsync<CortexThread>(new CommandDefinition(
            $"""
            UPDATE threads AS t
            SET title = coalesce(@title, title), kind = coalesce(@kind, kind),
                body = coalesce(@body, body), body_html = coalesce(@bodyHtml, body_html),
                version = version + 1, updated_at = now()
            WHERE id = @id AND version = @expectedVersion
            RETURNING {Columns}
            """,
            new { id, expectedVersion, title, kind = SqlNames.Of(kind), body, bodyHtml },
            session.Transaction,
            cancellationToken: cancellationToken));
    }
}
