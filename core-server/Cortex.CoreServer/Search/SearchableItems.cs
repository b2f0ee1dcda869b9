using Cortex.CoreServer.Observations;

namespace Cortex.CoreServer.Search;

/// <summary>
/// SQL for "every item this reader may find": threads, comments, observations and canon artifact versions in one
/// shape (kind, id, thread_id, title, subcortex, subcortex_id, body, updated_at, trust, stale, search), with private
/// subcortexes limited to members and admins and quarantined items left out. Used as an inline subquery so Postgres
/// pushes the caller's conditions into every branch (and onto their GIN indexes).
/// Parameters: <c>@me</c>, <c>@isAdmin</c>, <c>@subcortexes</c> (slugs; empty means all).
/// </summary>
internal static class SearchableItems
{
    /// <summary>
    /// The reader's subcortexes, filtered by slug; a merged subcortex's slug means the one it was merged into (following
    /// chains of merges). Archived subcortexes are no longer maintained: their content is stale.
    /// </summary>
    public const string VisibleCte = """
        visible AS (
            SELECT s.id, s.slug, s.state = 'archived' AS archived FROM subcortexes s
            WHERE (cardinality(@subcortexes::text[]) = 0 OR s.id IN (
                      WITH RECURSIVE named AS (
                          SELECT n.id, n.merged_into_id FROM subcortexes n WHERE n.slug = ANY(@subcortexes::text[])
                          UNION
                          SELECT m.id, m.merged_into_id FROM subcortexes m JOIN named ON m.id = named.merged_into_id)
                      SELECT id FROM named))
              AND (NOT s.is_private OR @isAdmin
                   OR EXISTS (SELECT 1 FROM subcortex_members m WHERE m.subcortex_id = s.id AND m.principal_id = @me)))
        """;

    /// <summary>
    /// Observations written in a burst get their full-text vector a little later (<see cref="ObservationSearchIndexer"/>);
    /// until then the second observation branch computes it, over the few rows of the partial index observations_unindexed.
    /// Trust tiers (DECISIONS.md, 2026-11-27 "accepted"): canon = a canon artifact version; accepted = a thread or
    /// comment a reviewer approved through the draft gate; reviewed = a thread posted directly by a member (humans
    /// answer for what they post); comment; observation (raw evidence).
    /// </summary>
    public const string Subquery = $"""
        (
            SELECT 'thread' AS kind, t.id, t.id AS thread_id, t.title, v.slug AS subcortex, t.subcortex_id, t.body, t.updated_at,
                   CASE WHEN {ApprovedDraft}t.id) THEN 'accepted' ELSE 'reviewed' END AS trust, v.archived AS stale, t.search
            FROM threads t JOIN visible v ON v.id = t.subcortex_id
            WHERE {NotQuarantined}'thread' AND q.entity_id = t.id)
            UNION ALL
            SELECT 'comment', c.id, c.thread_id, t.title, v.slug, t.subcortex_id, c.body, c.updated_at,
                   CASE WHEN {ApprovedDraft}c.id) THEN 'accepted' ELSE 'comment' END, v.archived, c.search
            FROM comments c JOIN threads t ON t.id = c.thread_id JOIN visible v ON v.id = t.subcortex_id
            WHERE {NotQuarantined}'comment' AND q.entity_id = c.id)
              AND {NotQuarantined}'thread' AND q.entity_id = t.id)
            UNION ALL
            SELECT 'observation', o.id, NULL, o.kind, v.slug, o.subcortex_id, o.body, o.created_at, 'observation', v.archived, o.search
            FROM observations o JOIN visible v ON v.id = o.subcortex_id
            WHERE o.search IS NOT NULL AND {NotQuarantined}'observation' AND q.entity_id = o.id)
            UNION ALL
            SELECT 'observation', o.id, NULL, o.kind, v.slug, o.subcortex_id, o.body, o.created_at, 'observation', v.archived,
                   {ObservationSearch.VectorSql}
            FROM observations o JOIN visible v ON v.id = o.subcortex_id
            WHERE o.search IS NULL AND {NotQuarantined}'observation' AND q.entity_id = o.id)
            UNION ALL
            SELECT 'artifact', a.id, NULL, a.title, v.slug, a.subcortex_id, av.body, av.accepted_at, 'canon', v.archived,
                   setweight(to_tsvector('english', a.title), 'A') || av.search
            FROM artifact_versions av JOIN artifacts a ON a.id = av.artifact_id JOIN visible v ON v.id = a.subcortex_id
            WHERE av.state = 'canon' AND a.state = 'active'
              AND {NotQuarantined}'artifactVersion' AND q.entity_id = a.id || ':' || av.number)
        ) AS i
        """;

    /// <summary>The caller's filters on kind, trust and update time.</summary>
    public const string FilterClause = """
        (cardinality(@kinds::text[]) = 0 OR i.kind = ANY(@kinds::text[]))
        AND (cardinality(@trusts::text[]) = 0 OR i.trust = ANY(@trusts::text[]))
        AND i.updated_at >= coalesce(@updatedFrom::timestamptz, '-infinity')
        AND i.updated_at <= coalesce(@updatedTo::timestamptz, 'infinity')
        """;

    private const string ApprovedDraft = "EXISTS (SELECT 1 FROM drafts d WHERE d.state = 'approved' AND d.materialized_id = ";

    private const string NotQuarantined = "NOT EXISTS (SELECT 1 FROM quarantines q WHERE q.lifted_at IS NULL AND q.entity = ";
}
