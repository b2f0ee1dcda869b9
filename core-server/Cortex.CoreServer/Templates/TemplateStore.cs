using Cortex.CoreServer.Database;
using Cortex.CoreServer.Errors;
using Dapper;
using Npgsql;

namespace Cortex.CoreServer.Templates;

/// <summary>SQL for subcortex templates.</summary>
internal sealed class TemplateStore(NpgsqlDataSource dataSource)
{
    private const string Columns =
        "t.subcortex_id, t.kind, t.required_sections, t.review_required, t.min_evidence, t.evidence_kinds, t.version, t.updated_at";

    public async Task<List<SubcortexTemplate>> ListAsync(string subcortexId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<SubcortexTemplate>(new CommandDefinition(
            $"SELECT {Columns} FROM subcortex_templates t WHERE t.subcortex_id = @subcortexId ORDER BY t.kind",
            new { subcortexId },
            cancellationToken: cancellationToken));
        return rows.AsList();
    }

    /// <summary>The template for <paramref name="kind"/>, else the subcortex's wildcard template, else none.</summary>
    public async Task<SubcortexTemplate?> FindAsync(string subcortexId, string kind, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QueryFirstOrDefaultAsync<SubcortexTemplate>(new CommandDefinition(
            $"""
            SELECT {Columns} FROM subcortex_templates t
            WHERE t.subcortex_id = @subcortexId AND t.kind IN (@kind, '*')
            ORDER BY t.kind = '*' LIMIT 1
            """,
            new { subcortexId, kind },
            cancellationToken: cancellationToken));
    }

    /// <summary>
    /// At a gate's decision: refuses a body that lacks sections its template requires now (422, naming them). Texts are
    /// checked when written, but a draft or proposed version is edited (live, too) and templates change before review.
    /// </summary>
    public async Task RequireSectionsForDecisionAsync(
        string subcortexId, string kind, string body, string remedy, CancellationToken cancellationToken = default)
    {
        if (await MissingSectionsAsync(subcortexId, kind, body, cancellationToken) is { } missing)
        {
            var message = $"{missing}; {remedy}";
            throw new CortexException(Drafts.GateProblems.SectionsMissing, message, new Dictionary<string, string[]> { ["body"] = [message] });
        }
    }

    /// <summary>Refuses a body without the sections its template requires (400, naming them).</summary>
    public async Task RequireSectionsAsync(string subcortexId, string kind, string body, CancellationToken cancellationToken = default)
    {
        if (await MissingSectionsAsync(subcortexId, kind, body, cancellationToken) is { } missing)
        {
            throw CortexException.Invalid("body", missing + ".");
        }
    }

    /// <summary>What a body lacks of its template, said in a sentence (without its full stop); null when nothing.</summary>
    private async Task<string?> MissingSectionsAsync(string subcortexId, string kind, string body, CancellationToken cancellationToken)
    {
        var template = await FindAsync(subcortexId, kind, cancellationToken);
        var missing = template?.MissingSections(body) ?? [];
        return missing.Count == 0 ? null : $"The {kind} template requires the sections: {string.Join(", ", missing)}";
    }

    public static async Task<SubcortexTemplate> UpsertAsync(
        WriteSession session, string subcortexId, string kind, PutTemplateRequest request, CancellationToken cancellationToken = default)
    {
        await session.BeginAsync(cancellationToken);
        return await session.Connection.QuerySingleAsync<SubcortexTemplate>(new CommandDefinition(
            $"""
            INSERT INTO subcortex_templates AS t (subcortex_id, kind, required_sections, review_required, min_evidence, evidence_kinds)
            VALUES (@subcortexId, @kind, @requiredSections, @reviewRequired, @minEvidence, @evidenceKinds)
            ON CONFLICT (subcortex_id, kind) DO UPDATE
            SET required_sections = excluded.required_sections, review_required = excluded.review_required,
                min_evidence = excluded.min_evidence, evidence_kinds = excluded.evidence_kinds,
                version = t.version + 1, updated_at = now()
            RETURNING {Columns}
            """,
            new
            {
                subcortexId,
                kind,
                requiredSections = request.RequiredSections ?? [],
                reviewRequired = request.ReviewRequired ?? false,
                minEvidence = request.MinEvidence ?? 0,
                evidenceKinds = request.EvidenceKinds ?? [.. Artifacts.EvidenceLink.Kinds],
            },
            session.Transaction,
            cancellationToken: cancellationToken));
    }
}
