using Cortex.CoreServer.Content;
using Cortex.CoreServer.Database;
using Cortex.SharedModel.Ids;
using Cortex.SharedModel.Principals;
using Dapper;
using Npgsql;

namespace Cortex.CoreServer.Artifacts;

/// <summary>SQL for artifacts and their versions.</summary>
internal sealed class ArtifactStore(NpgsqlDataSource dataSource)
{
    private const string Columns =
        "a.id, a.subcortex_id, a.title, a.kind, a.state, a.superseded_by, a.canon_version, a.latest_version, a.created_by, a.version, a.created_at, a.updated_at";

    private const string VersionColumns =
        "v.artifact_id, v.number, v.body, v.body_html, v.evidence, v.based_on, v.author_id, v.state, v.accepted_by, v.accepted_at, v.draft_id, v.created_at, v.revision, v.editors";

    public async Task<(Artifact Artifact, ContentAccess Access)?> FindAsync(string id, string me, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<Artifact, ContentAccess, (Artifact, ContentAccess)>(
            new CommandDefinition(
                $"SELECT {Columns}, {ContentAccess.Sql} FROM artifacts a JOIN subcortexes s ON s.id = a.subcortex_id WHERE a.id = @id",
                new { id, me },
                cancellationToken: cancellationToken),
            (artifact, access) => (artifact, access),
            splitOn: "is_private");
        return rows.Select(row => ((Artifact, ContentAccess)?)row).SingleOrDefault();
    }

    public async Task<List<Artifact>> ListAsync(Principal reader, string? subcortex, string? afterId, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<Artifact>(new CommandDefinition(
            $"""
            SELECT {Columns} FROM artifacts a JOIN subcortexes s ON s.id = a.subcortex_id
            WHERE (@afterId::text IS NULL OR a.id > @afterId)
              AND (@subcortex::text IS NULL OR s.slug = @subcortex)
              AND (NOT s.is_private OR @isAdmin
                   OR EXISTS (SELECT 1 FROM subcortex_members m WHERE m.subcortex_id = s.id AND m.principal_id = @me))
            ORDER BY a.id LIMIT @limit
            """,
            new { afterId, subcortex, limit, me = reader.Id, isAdmin = reader.Role == Role.Admin },
            cancellationToken: cancellationToken));
        return rows.AsList();
    }

    public async Task<ArtifactVersion?> FindVersionAsync(string artifactId, int number, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<ArtifactVersion>(new CommandDefinition(
            $"SELECT {VersionColumns} FROM artifact_versions v WHERE v.artifact_id = @artifactId AND v.number = @number",
            new { artifactId, number },
            cancellationToken: cancellationToken));
    }

    public async Task<List<ArtifactVersion>> ListVersionsAsync(string artifactId, int? afterNumber, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<ArtifactVersion>(new CommandDefinition(
            $"""
            SELECT {VersionColumns} FROM artifact_versions v
            WHERE v.artifact_id = @artifactId AND (@afterNumber::int IS NULL OR v.number > @afterNumber)
            ORDER BY v.number LIMIT @limit
            """,
            new { artifactId, afterNumber, limit },
            cancellationToken: cancellationToken));
        return rows.AsList();
    }

    public static async Task<Artifact> InsertAsync(
        WriteSession session, string subcortexId, string title, string kind, string createdBy, CancellationToken cancellationToken = default)
    {
        await session.BeginAsync(cancellationToken);
        return await session.Connection.QuerySingleAsync<Artifact>(new CommandDefinition(
            $"""
            INSERT INTO artifacts AS a (id, subcortex_id, title, kind, created_by)
            VALUES (@id, @subcortexId, @title, @kind, @createdBy)
            RETURNING {Columns}
            """,
            new { id = CortexId.New(), subcortexId, title, kind, createdBy },
            session.Transaction,
            cancellationToken: cancellationToken));
    }

    /// <summary>Locks the artifact row: version numbering and the canon switch are serialized per artifact.</summary>
    public static async Task<Artifact?> LockAsync(WriteSession session, string id, CancellationToken cancellationToken = default)
    {
        await session.BeginAsync(cancellationToken);
        return await session.Connection.QuerySingleOrDefaultAsync<Artifact>(new CommandDefinition(
            $"SELECT {Columns} FROM artifacts a WHERE a.id = @id FOR UPDATE",
            new { id },
            session.Transaction,
            cancellationToken: cancellationToken));
    }

    /// <summary>Locks one version row (after the artifact's, by the canon gate): what is checked is what becomes canon.</summary>
    public static async Task<ArtifactVersion?> LockVersionAsync(WriteSession session, string artifactId, int number, CancellationToken cancellationToken = default)
    {
        await session.BeginAsync(cancellationToken);
        return await session.Connection.QuerySingleOrDefaultAsync<ArtifactVersion>(new CommandDefinition(
            $"SELECT {VersionColumns} FROM artifact_versions v WHERE v.artifact_id = @artifactId AND v.number = @number FOR UPDATE",
            new { artifactId, number },
            session.Transaction,
            cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Writes a co-edited text into a proposed version (its row is locked by the document call): a new revision, and
    /// the writer among its editors. Null when the version is no longer proposed.
    /// </summary>
    public static async Task<(ArtifactVersion Version, string SubcortexId)?> EditProposedAsync(
        WriteSession session, string artifactId, int number, string editorId, string body, string bodyHtml, CancellationToken cancellationToken = default)
    {
        var rows = await session.Connection.QueryAsync<ArtifactVersion, string, (ArtifactVersion, string)>(new CommandDefinition(
            $"""
            UPDATE artifact_versions AS v
            SET body = @body, body_html = @bodyHtml, revision = revision + 1,
                editors = CASE WHEN @editorId = ANY(editors) THEN editors ELSE array_append(editors, @editorId) END
            FROM artifacts a
            WHERE a.id = v.artifact_id AND v.artifact_id = @artifactId AND v.number = @number AND v.state = 'proposed'
            RETURNING {VersionColumns}, a.subcortex_id
            """,
            new { artifactId, number, editorId, body, bodyHtml },
            session.Transaction,
            cancellationToken: cancellationToken),
            (version, subcortexId) => (version, subcortexId),
            splitOn: "subcortex_id");
        return rows.Select(row => ((ArtifactVersion, string)?)row).SingleOrDefault();
    }

    /// <summary>Appends the next version number, under the artifact's row lock.</summary>
    public static async Task<ArtifactVersion> InsertVersionAsync(
        WriteSession session,
        string artifactId,
        string authorId,
        string body,
        string bodyHtml,
        IReadOnlyList<EvidenceLink> evidence,
        int? basedOn,
        string? draftId,
        CancellationToken cancellationToken = default)
    {
        _ = await LockAsync(session, artifactId, cancellationToken);
        return await session.Connection.QuerySingleAsync<ArtifactVersion>(new CommandDefinition(
            $"""
            WITH next AS (
                UPDATE artifacts SET latest_version = latest_version + 1, version = version + 1, updated_at = now()
                WHERE id = @artifactId RETURNING latest_version)
            INSERT INTO artifact_versions AS v (artifact_id, number, body, body_html, evidence, based_on, author_id, draft_id)
            SELECT @artifactId, next.latest_version, @body, @bodyHtml, CAST(@evidence AS jsonb), @basedOn, @authorId, @draftId FROM next
            RETURNING {VersionColumns}
            """,
            new { artifactId, authorId, body, bodyHtml, evidence = EvidenceLink.ToJson(evidence), basedOn, draftId },
            session.Transaction,
            cancellationToken: cancellationToken));
    }

    /// <summary>Makes <paramref name="number"/> the canon version, superseding the previous one, under the artifact's row lock.</summary>
    public static async Task<ArtifactVersion> MakeCanonAsync(
        WriteSession session, string artifactId, int number, string reviewerId, CancellationToken cancellationToken = default)
    {
        await session.Connection.ExecuteAsync(new CommandDefinition(
            "UPDATE artifact_versions SET state = 'superseded' WHERE artifact_id = @artifactId AND state = 'canon'",
            new { artifactId },
            session.Transaction,
            cancellationToken: cancellationToken));
        var accepted = await session.Connection.QuerySingleAsync<ArtifactVersion>(new CommandDefinition(
            $"""
            UPDATE artifact_versions AS v SET state = 'canon', accepted_by = @reviewerId, accepted_at = now()
            WHERE artifact_id = @artifactId AND number = @number
            RETURNING {VersionColumns}
            """,
            new { artifactId, number, reviewerId },
            session.Transaction,
            cancellationToken: cancellationToken));
        await session.Connection.ExecuteAsync(new CommandDefinition(
            "UPDATE artifacts SET canon_version = @number, version = version + 1, updated_at = now() WHERE id = @artifactId",
            new { artifactId, number },
            session.Transaction,
            cancellationToken: cancellationToken));
        return accepted;
    }

    public static async Task<Artifact> SetStateAsync(
        WriteSession session, string id, ArtifactState state, string? supersededBy, CancellationToken cancellationToken = default) =>
        await session.Connection.QuerySingleAsync<Artifact>(new CommandDefinition(
            $"""
            UPDATE artifacts AS a SET state = @state, superseded_by = @supersededBy, version = version + 1, updated_at = now()
            WHERE id = @id
            RETURNING {Columns}
            """,
            new { id, state = SqlNames.Of(state), supersededBy },
            session.Transaction,
            cancellationToken: cancellationToken));
}
