using System.Net;
using Cortex.SharedModel.Principals;
using Dapper;
using Npgsql;

namespace Cortex.CoreServer.Search;

/// <summary>
/// Keyword search over threads, comments, observations and canon artifact versions with Postgres full-text search: <c>websearch_to_tsquery</c> for the
/// query, <c>ts_rank_cd</c> for ranking and <c>ts_headline</c> for snippets (computed only for the returned page).
/// Private subcortexes are searched only for their members and admins.
/// </summary>
internal sealed class KeywordSearch(NpgsqlDataSource dataSource)
{
    private const char MarkStart = '\uE000';
    private const char MarkEnd = '\uE001';

    public async Task<List<SearchHit>> SearchAsync(
        Principal reader, string query, int offset, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            """
            WITH q AS (SELECT websearch_to_tsquery('english', @query) AS query),
            visible AS (
                SELECT s.id, s.slug FROM subcortexes s
                WHERE NOT s.is_private OR @isAdmin
                   OR EXISTS (SELECT 1 FROM subcortex_members m WHERE m.subcortex_id = s.id AND m.principal_id = @me)),
            ranked AS (
                SELECT 'thread' AS kind, t.id, t.id AS thread_id, t.title, v.slug AS subcortex, t.body, t.updated_at,
                       ts_rank_cd(t.search, q.query, 32) AS rank
                FROM threads t JOIN visible v ON v.id = t.subcortex_id, q
                WHERE t.search @@ q.query
                UNION ALL
                SELECT 'comment', c.id, c.thread_id, t.title, v.slug, c.body, c.updated_at,
                       ts_rank_cd(c.search, q.query, 32)
                FROM comments c JOIN threads t ON t.id = c.thread_id JOIN visible v ON v.id = t.subcortex_id, q
                WHERE c.search @@ q.query
                UNION ALL
                -- Observations are raw evidence, trusted below reviewed content: half the weight of an equal match.
                SELECT 'observation', o.id, NULL, o.kind, v.slug, o.body, o.created_at,
                       ts_rank_cd(o.search, q.query, 32) * 0.5::real
                FROM observations o JOIN visible v ON v.id = o.subcortex_id, q
                WHERE o.search @@ q.query
                UNION ALL
                -- Canon is the most trusted content: twice the weight of an equal match in a thread (issue 6).
                -- The title lives on the artifact; there is one canon version per artifact, so weighing it in here is cheap.
                SELECT 'artifact', a.id, NULL, a.title, v.slug, av.body, av.accepted_at,
                       ts_rank_cd(setweight(to_tsvector('english', a.title), 'A') || av.search, q.query, 32) * 2.0::real
                FROM artifact_versions av JOIN artifacts a ON a.id = av.artifact_id JOIN visible v ON v.id = a.subcortex_id, q
                WHERE av.state = 'canon' AND a.state = 'active'
                  AND (setweight(to_tsvector('english', a.title), 'A') || av.search) @@ q.query
                ORDER BY rank DESC, id
                LIMIT @limit OFFSET @offset)
            SELECT r.kind, r.id, r.thread_id, r.title, r.subcortex, r.updated_at, r.rank,
                   ts_headline('english', r.body, q.query, @options) AS snippet
            FROM ranked r, q
            ORDER BY r.rank DESC, r.id
            """,
            new
            {
                query,
                limit,
                offset,
                me = reader.Id,
                isAdmin = reader.Role == Role.Admin,
                options = $"StartSel=\"{MarkStart}\", StopSel=\"{MarkEnd}\", MaxWords=35, MinWords=12, MaxFragments=2",
            },
            cancellationToken: cancellationToken));
        return rows.Select(row => new SearchHit
        {
            Kind = row.Kind,
            Id = row.Id,
            ThreadId = row.ThreadId,
            Title = row.Title,
            Subcortex = row.Subcortex,
            SnippetHtml = SnippetHtml(row.Snippet),
            Rank = row.Rank,
            UpdatedAt = row.UpdatedAt,
        }).ToList();
    }

    /// <summary>Escapes everything, then turns only our own private-use markers into &lt;mark&gt; tags.</summary>
    internal static string SnippetHtml(string snippet) =>
        WebUtility.HtmlEncode(snippet).Replace(MarkStart.ToString(), "<mark>", StringComparison.Ordinal)
            .Replace(MarkEnd.ToString(), "</mark>", StringComparison.Ordinal);

    private sealed record Row
    {
        public required string Kind { get; init; }
        public required string Id { get; init; }
        public string? ThreadId { get; init; }
        public required string Title { get; init; }
        public required string Subcortex { get; init; }
        public required string Snippet { get; init; }
        public required float Rank { get; init; }
        public required DateTimeOffset UpdatedAt { get; init; }
    }
}
