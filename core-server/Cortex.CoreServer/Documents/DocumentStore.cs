using Cortex.CoreServer.Database;
using Dapper;

namespace Cortex.CoreServer.Documents;

/// <summary>The row of a document, read under its lock.</summary>
internal sealed record DocumentRow(string MaterializedBody, int UpdateCount);

/// <summary>SQL for the per-document update logs (migration 0500). Every call runs inside the caller's write session,
/// after <see cref="LockOrCreateAsync"/>, so one writer at a time touches a document.</summary>
internal static class DocumentStore
{
    /// <summary>Creates the row when missing (seeded with <paramref name="body"/>), then locks it.</summary>
    public static async Task<DocumentRow> LockOrCreateAsync(
        WriteSession session, string documentId, string body, CancellationToken cancellationToken)
    {
        await session.BeginAsync(cancellationToken);
        await session.Connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO documents (id, materialized_body) VALUES (@documentId, @body) ON CONFLICT (id) DO NOTHING",
            new { documentId, body },
            session.Transaction,
            cancellationToken: cancellationToken));
        return await session.Connection.QuerySingleAsync<DocumentRow>(new CommandDefinition(
            "SELECT materialized_body, update_count FROM documents WHERE id = @documentId FOR UPDATE",
            new { documentId },
            session.Transaction,
            cancellationToken: cancellationToken));
    }

    public static async Task<List<byte[]>> LoadUpdatesAsync(WriteSession session, string documentId, CancellationToken cancellationToken)
    {
        var rows = await session.Connection.QueryAsync<byte[]>(new CommandDefinition(
            "SELECT payload FROM document_updates WHERE document_id = @documentId ORDER BY seq",
            new { documentId },
            session.Transaction,
            cancellationToken: cancellationToken));
        return rows.AsList();
    }

    public static async Task AppendAsync(
        WriteSession session, string documentId, byte[] payload, string? authorId, string materializedBody, CancellationToken cancellationToken)
    {
        await session.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO document_updates (document_id, payload, author_id) VALUES (@documentId, @payload, @authorId);
            UPDATE documents SET update_count = update_count + 1, materialized_body = @materializedBody, updated_at = now()
            WHERE id = @documentId;
            """,
            new { documentId, payload, authorId, materializedBody },
            session.Transaction,
            cancellationToken: cancellationToken));
    }

    /// <summary>Replaces the whole log by <paramref name="merged"/>, the merge of every update in it.</summary>
    public static async Task CompactAsync(WriteSession session, string documentId, byte[] merged, CancellationToken cancellationToken)
    {
        await session.Connection.ExecuteAsync(new CommandDefinition(
            """
            DELETE FROM document_updates WHERE document_id = @documentId;
            INSERT INTO document_updates (document_id, payload) VALUES (@documentId, @merged);
            UPDATE documents SET update_count = 0 WHERE id = @documentId;
            """,
            new { documentId, merged },
            session.Transaction,
            cancellationToken: cancellationToken));
    }
}
