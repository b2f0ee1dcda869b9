using Cortex.CoreServer.Artifacts;
using Cortex.CoreServer.Audit;
using Cortex.CoreServer.Content;
using Cortex.CoreServer.Database;
using Cortex.CoreServer.Feed;
using Cortex.SharedModel.Feed;
using Cortex.SharedModel.Ids;
using Cortex.SharedModel.Principals;
using Dapper;
using Npgsql;

namespace Cortex.CoreServer.Drafts;

/// <summary>SQL for drafts and their revisions.</summary>
internal sealed class DraftStore(NpgsqlDataSource dataSource)
{
    private const string Columns =
        "d.id, d.kind, d.subcortex_id, d.thread_id, d.artifact_id, d.author_id, d.title, d.thread_kind, d.body, d.evidence, d.state, " +
        "d.reason, d.reviewed_by, d.reviewed_at, d.approval_latency_ms, d.materialized_id, d.version, d.created_at, d.updated_at";

    /// <summary>
    /// Writes a draft inside the caller's write session and records its feed row and audit event there, so that the
    /// draft commits with whatever else the caller does (the sync hub turns an upload into a draft this way).
    /// </summary>
    public static async Task<Draft> CreateAsync(WriteSession session, NewDraft draft, Actor actor, CancellationToken cancellationToken = default)
    {
        await session.BeginAsync(cancellationToken);
        var created = await session.Connection.QuerySingleAsync<Draft>(new CommandDefinition(
            $"""
            INSERT INTO drafts AS d (id, kind, subcortex_id, thread_id, artifact_id, author_id, title, thread_kind, body, evidence)
            VALUES (@id, @kind, @subcortexId, @threadId, @artifactId, @authorId, @title, @threadKind, @body, CAST(@evidence AS jsonb))
            RETURNING {Columns}
            """,
            new
            {
                id = CortexId.New(),
                kind = SqlNames.Of(draft.Kind),
                draft.SubcortexId,
                draft.ThreadId,
                draft.ArtifactId,
                draft.AuthorId,
                draft.Title,
                draft.ThreadKind,
                draft.Body,
                evidence = EvidenceLink.ToJson(draft.Evidence),
            },
            session.Transaction,
            cancellationToken: cancellationToken));
        Record(session, actor, "draft.create", created);
        return created;
    }

    /// <summary>Feed row (visible to the author and admins) and audit event for a change to <paramref name="draft"/>.</summary>
    public static void Record(WriteSession session, Actor actor, string action, Draft draft, string? detail = null)
    {
        var operation = draft.Version == 1 && action == "draft.create" ? ChangeOperation.Created : ChangeOperation.Updated;
        session.Record(new PendingChange(EntityNames.Draft, draft.Id, operation, draft.Version, PrincipalId: draft.AuthorId));
        session.Audit(new AuditEntry(action, AuditOutcome.Succeeded, actor, EntityNames.Draft, draft.Id, detail));
    }

    public async Task<(Draft Draft, ContentAccess Access)?> FindAsync(string id, string me, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<Draft, ContentAccess, (Draft, ContentAccess)>(
            new CommandDefinition(
                $"SELECT {Columns}, {ContentAccess.Sql} FROM drafts d JOIN subcortexes s ON s.id = d.subcortex_id WHERE d.id = @id",
                new { id, me },
                cancellationToken: cancellationToken),
            (draft, access) => (draft, access),
            splitOn: "is_private");
        return rows.Select(row => ((Draft, ContentAccess)?)row).SingleOrDefault();
    }

    /// <summary>Locks the draft row for the rest of the session's transaction: concurrent reviews queue here.</summary>
    public static async Task<Draft?> LockAsync(WriteSession session, string id, CancellationToken cancellationToken = default)
    {
        await session.BeginAsync(cancellationToken);
        return await session.Connection.QuerySingleOrDefaultAsync<Draft>(new CommandDefinition(
            $"SELECT {Columns} FROM drafts d WHERE d.id = @id FOR UPDATE",
            new { id },
            session.Transaction,
            cancellationToken: cancellationToken));
    }

    /// <summary>
    /// The review queue, oldest first. Reviewers and admins see every draft in subcortexes they can read; everyone else
    /// sees their own drafts only.
    /// </summary>
    public async Task<List<Draft>> ListAsync(Principal reader, bool seesAll, DraftFilter filter, string? afterId, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<Draft>(new CommandDefinition(
            $"""
            SELECT {Columns} FROM drafts d JOIN subcortexes s ON s.id = d.subcortex_id
            WHERE (@afterId::text IS NULL OR d.id > @afterId)
              AND (@seesAll OR d.author_id = @me)
              AND (NOT s.is_private OR @isAdmin
                   OR EXISTS (SELECT 1 FROM subcortex_members m WHERE m.subcortex_id = s.id AND m.principal_id = @me))
              AND (@subcortex::text IS NULL OR s.slug = @subcortex)
              AND (@kind::text IS NULL OR d.kind = @kind)
              AND (@author::text IS NULL OR d.author_id = @author)
              AND (@state::text IS NULL OR d.state = @state)
            ORDER BY d.id LIMIT @limit
            """,
            new
            {
                afterId,
                seesAll,
                me = reader.Id,
                isAdmin = reader.Role == Role.Admin,
                subcortex = filter.Subcortex,
                kind = SqlNames.Of(filter.Kind),
                author = filter.Author,
                state = SqlNames.Of(filter.State),
                limit,
            },
            cancellationToken: cancellationToken));
        return rows.AsList();
    }

    public static async Task<Draft> MarkApprovedAsync(
        WriteSession session, string id, string reviewerId, string materializedId, CancellationToken cancellationToken = default) =>
        await session.Connection.QuerySingleAsync<Draft>(new CommandDefinition(
            $"""
            UPDATE drafts AS d
            SET state = 'approved', reviewed_by = @reviewerId, reviewed_at = now(), materialized_id = @materializedId,
                approval_latency_ms = (extract(epoch FROM now() - d.created_at) * 1000)::bigint,
                version = version + 1, updated_at = now()
            WHERE id = @id AND state = 'pending'
            RETURNING {Columns}
            """,
            new { id, reviewerId, materializedId },
            session.Transaction,
            cancellationToken: cancellationToken));

    public static async Task<Draft> MarkRejectedAsync(
        WriteSession session, string id, string reviewerId, string reason, CancellationToken cancellationToken = default) =>
        await session.Connection.QuerySingleAsync<Draft>(new CommandDefinition(
            $"""
            UPDATE drafts AS d
            SET state = 'rejected', reviewed_by = @reviewerId, reviewed_at = now(), reason = @reason,
                version = version + 1, updated_at = now()
            WHERE id = @id AND state = 'pending'
            RETURNING {Columns}
            """,
            new { id, reviewerId, reason },
            session.Transaction,
            cancellationToken: cancellationToken));

    /// <summary>Keeps the text being replaced as a revision, then applies the edit.</summary>
    public static async Task<Draft> EditAsync(
        WriteSession session, Draft current, string editorId, string? title, string? body, IReadOnlyList<EvidenceLink>? evidence, CancellationToken cancellationToken = default)
    {
        await session.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO draft_revisions (draft_id, version, title, body, evidence, edited_by)
            VALUES (@Id, @Version, @Title, @Body, CAST(@evidence AS jsonb), @editorId)
            """,
            new { current.Id, current.Version, current.Title, current.Body, evidence = EvidenceLink.ToJson(current.Evidence), editorId },
            session.Transaction,
            cancellationToken: cancellationToken));
        return await session.Connection.QuerySingleAsync<Draft>(new CommandDefinition(
            $"""
            UPDATE drafts AS d
            SET title = coalesce(@title, title), body = coalesce(@body, body),
                evidence = coalesce(CAST(@evidence AS jsonb), evidence), version = version + 1, updated_at = now()
            WHERE id = @id
            RETURNING {Columns}
            """,
            new { id = current.Id, title, body, evidence = evidence is null ? null : EvidenceLink.ToJson(evidence) },
            session.Transaction,
            cancellationToken: cancellationToken));
    }

    public async Task<List<DraftRevision>> ListRevisionsAsync(string draftId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<DraftRevision>(new CommandDefinition(
            "SELECT version, title, body, evidence, edited_by, edited_at FROM draft_revisions WHERE draft_id = @draftId ORDER BY version",
            new { draftId },
            cancellationToken: cancellationToken));
        return rows.AsList();
    }
}

internal sealed record DraftFilter(string? Subcortex, DraftKind? Kind, string? Author, DraftState? State);

/// <summary>A draft's text before an edit replaced it.</summary>
public sealed record DraftRevision
{
    public required long Version { get; init; }
    public string? Title { get; init; }
    public required string Body { get; init; }
    public EvidenceLink[] Evidence { get; init; } = [];
    public required string EditedBy { get; init; }
    public DateTimeOffset EditedAt { get; init; }
}
