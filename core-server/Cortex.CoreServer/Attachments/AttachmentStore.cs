using Cortex.CoreServer.Database;
using Cortex.ObjectStore;
using Cortex.SharedModel.Authorization;
using Cortex.SharedModel.Ids;
using Dapper;
using Npgsql;

namespace Cortex.CoreServer.Attachments;

/// <summary>SQL for attachment rows; the bytes are in the <see cref="IObjectStore"/> under <c>object_key</c>.</summary>
internal sealed class AttachmentStore(NpgsqlDataSource dataSource)
{
    private const string Columns =
        "a.id, a.file_name, a.content_type, a.size, a.sha256, a.uploaded_by, a.owner_kind, a.owner_id, a.subcortex_id, " +
        "a.version, a.created_at, a.updated_at";

    /// <summary>The attachment, where its bytes are, and the access facts of its owner's subcortex for <paramref name="me"/>.</summary>
    public async Task<Found?> FindAsync(string id, string me, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<Attachment, AccessRow, Found>(
            new CommandDefinition(
                $"""
                SELECT {Columns}, a.object_key, coalesce(s.is_private, false) AS is_private,
                       EXISTS (SELECT 1 FROM subcortex_members m WHERE m.subcortex_id = a.subcortex_id AND m.principal_id = @me) AS asker_is_member
                FROM attachments a LEFT JOIN subcortexes s ON s.id = a.subcortex_id
                WHERE a.id = @id
                """,
                new { id, me },
                cancellationToken: cancellationToken),
            (attachment, access) => new Found(attachment, access.ObjectKey, access.Resource(attachment)),
            splitOn: "object_key");
        return rows.SingleOrDefault();
    }

    /// <summary>Inserts the row; null when this uploader already used <paramref name="idempotencyKey"/>.</summary>
    public static async Task<Attachment?> InsertAsync(
        WriteSession session,
        StoredObject stored,
        string fileName,
        string uploadedBy,
        AttachmentOwner? owner,
        string? idempotencyKey,
        CancellationToken cancellationToken = default)
    {
        await session.BeginAsync(cancellationToken);
        return await session.Connection.QuerySingleOrDefaultAsync<Attachment>(new CommandDefinition(
            $"""
            INSERT INTO attachments AS a
                (id, object_key, sha256, size, content_type, file_name, uploaded_by, owner_kind, owner_id, subcortex_id, idempotency_key)
            VALUES (@id, @objectKey, @sha256, @size, @contentType, @fileName, @uploadedBy, @ownerKind, @ownerId, @subcortexId, @idempotencyKey)
            ON CONFLICT (uploaded_by, idempotency_key) DO NOTHING
            RETURNING {Columns}
            """,
            new
            {
                id = CortexId.New(),
                objectKey = stored.Key,
                sha256 = stored.Sha256,
                size = stored.Size,
                contentType = stored.ContentType,
                fileName,
                uploadedBy,
                ownerKind = owner?.Kind,
                ownerId = owner?.Id,
                subcortexId = owner?.SubcortexId,
                idempotencyKey,
            },
            session.Transaction,
            cancellationToken: cancellationToken));
    }

    public static async Task<Attachment> FindByIdempotencyKeyAsync(
        WriteSession session, string uploadedBy, string idempotencyKey, CancellationToken cancellationToken = default)
    {
        await session.BeginAsync(cancellationToken);
        return await session.Connection.QuerySingleAsync<Attachment>(new CommandDefinition(
            $"SELECT {Columns} FROM attachments a WHERE a.uploaded_by = @uploadedBy AND a.idempotency_key = @idempotencyKey",
            new { uploadedBy, idempotencyKey },
            session.Transaction,
            cancellationToken: cancellationToken));
    }

    internal sealed record Found(Attachment Attachment, string ObjectKey, Resource Resource);

    private sealed record AccessRow
    {
        public required string ObjectKey { get; init; }
        public bool IsPrivate { get; init; }
        public bool AskerIsMember { get; init; }

        public Resource Resource(Attachment attachment) =>
            SharedModel.Authorization.Resource.Content(ResourceKind.Attachment, attachment.UploadedBy, IsPrivate, AskerIsMember);
    }
}
