using Cortex.CoreServer.Database;
using Cortex.SharedModel.Content;
using Cortex.SharedModel.Ids;
using Dapper;
using Npgsql;

namespace Cortex.CoreServer.Content;

/// <summary>SQL for comments.</summary>
internal sealed class CommentStore(NpgsqlDataSource dataSource)
{
    private const string Columns = "c.id, c.thread_id, c.author_id, c.body, c.body_html, c.version, c.created_at, c.updated_at";

    /// <summary>Oldest first, as a conversation reads.</summary>
    public async Task<List<Comment>> ListAsync(string threadId, string? afterId, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<Comment>(new CommandDefinition(
            $"""
            SELECT {Columns} FROM comments c
            WHERE c.thread_id = @threadId AND (@afterId::text IS NULL OR c.id > @afterId)
            ORDER BY c.id LIMIT @limit
            """,
            new { threadId, afterId, limit },
            cancellationToken: cancellationToken));
        return rows.AsList();
    }

    public static async Task<Comment> InsertAsync(
        WriteSession session,
        string threadId,
        string authorId,
        string body,
        string bodyHtml,
        CancellationToken cancellationToken = default)
    {
        await session.BeginAsync(cancellationToken);
        return await session.Connection.QuerySingleAsync<Comment>(new CommandDefinition(
            $"""
            INSERT INTO comments AS c (id, thread_id, author_id, body, body_html)
            VALUES (@id, @threadId, @authorId, @body, @bodyHtml)
            RETURNING {Columns}
            """,
            new { id = CortexId.New(), threadId, authorId, body, bodyHtml },
            session.Transaction,
            cancellationToken: cancellationToken));
    }
}
