using System.Globalization;
using Cortex.CoreServer.Embeddings;
using Cortex.SharedModel.Principals;
using Dapper;
using Npgsql;

namespace Cortex.CoreServer.Search;

/// <summary>
/// Server search in all three modes: keyword candidates from Postgres full-text search, semantic candidates from the
/// pgvector HNSW index, both hydrated in one query (visibility, quarantine and filters applied there), fused
/// (<see cref="SearchFusion"/>), adjusted by trust, near-duplicates resolved in favour of the more trusted, paged,
/// and snippets computed for the returned page only.
/// </summary>
internal sealed class SearchService(NpgsqlDataSource dataSource, QueryEmbedder embedder, TimeProvider time)
{
    /// <summary>Candidates per side before fusion, and HNSW's search breadth (recall against exact KNN at 100k ≥ 0.95).</summary>
    public const int FusionDepth = 50;
    public const int EfSearch = 100;

    /// <summary>At most this many keyword matches are ranked in hybrid mode (see <see cref="KeywordCandidatesAsync"/>).</summary>
    public const int KeywordBudget = 2_000;

    private const char MarkStart = '\uE000';
    private const char MarkEnd = '\uE001';

    // Words of the query OR-ed, so an item matching some of them is a candidate (hybrid); stop words drop out.
    private const string AnyWordQuery =
        "(SELECT coalesce(string_agg(quote_literal(replace(lexeme, '''', '')), ' | '), '')::tsquery FROM unnest(to_tsvector('english', @query)))";

    private const string AllWordsQuery = "websearch_to_tsquery('english', @query)";

    public async Task<List<SearchHit>> SearchAsync(Principal reader, SearchRequest request, CancellationToken cancellationToken = default)
    {
        var depth = Math.Max(FusionDepth, request.Offset + request.Limit);
        var vector = request.Mode == SearchMode.Keyword ? null : QueryEmbedder.ToLiteral(embedder.Embed(request.Query, cancellationToken));
        var tsQuery = request.Mode == SearchMode.Keyword ? AllWordsQuery : AnyWordQuery;
        var args = new DynamicParameters(new
        {
            query = request.Query,
            me = reader.Id,
            isAdmin = reader.Role == Role.Admin,
            subcortexes = request.Filter.Subcortexes.ToArray(),
            kinds = request.Filter.Kinds.ToArray(),
            trusts = request.Filter.TrustTiers.ToArray(),
            updatedFrom = request.Filter.UpdatedFrom,
            updatedTo = request.Filter.UpdatedTo,
            depth,
            keywordBudget = KeywordBudget,
            vector,
        });

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var keywordRanks = request.Mode == SearchMode.Semantic
            ? []
            : await KeywordCandidatesAsync(connection, tsQuery, budget: request.Mode == SearchMode.Hybrid, args, cancellationToken);
        var vectorIds = vector is null ? [] : await VectorCandidatesAsync(connection, args, cancellationToken);
        var ids = keywordRanks.Keys.Concat(vectorIds).Distinct().ToArray();
        if (ids.Length == 0)
        {
            return [];
        }

        args.Add("ids", ids);
        var items = await HydrateAsync(connection, args, withVectors: vector is not null, cancellationToken);
        foreach (var item in items)
        {
            item.KeywordRank = keywordRanks.GetValueOrDefault(item.Id);
        }

        var keywordHits = items.Where(i => keywordRanks.ContainsKey(i.Id)).ToList();
        var weight = SearchFusion.KeywordWeight(request.Mode, QueryWords.HasIdentifier(request.Query), keywordHits);
        SearchFusion.Score(items, request.Mode, weight, time.GetUtcNow());
        var ranked = items.OrderByDescending(i => i.Score).ThenBy(i => i.Id, StringComparer.Ordinal).ToList();
        if (request.Mode != SearchMode.Keyword)
        {
            ranked = NearDuplicates.PreferTrusted(ranked);
        }

        var page = ranked.Skip(request.Offset).Take(request.Limit).ToList();
        var snippets = await SnippetsAsync(connection, tsQuery, request.Query, page, cancellationToken);
        return page.Select(item => new SearchHit
        {
            Kind = item.Kind,
            Id = item.Id,
            ThreadId = item.ThreadId,
            Title = item.Title,
            Subcortex = item.Subcortex,
            SnippetHtml = SnippetHtml(snippets.GetValueOrDefault(item.Id, "")),
            Rank = Math.Round(item.Score, 6),
            Trust = item.Trust,
            Stale = item.Stale,
            UpdatedAt = item.UpdatedAt,
        }).ToList();
    }

    private static async Task<Dictionary<string, double>> KeywordCandidatesAsync(
        NpgsqlConnection connection, string tsQuery, bool budget, DynamicParameters args, CancellationToken cancellationToken)
    {
        // Hybrid ORs the query's words, so common words can match most of the table; ranking every match would cost
        // more than the whole vector side. Rare words (identifiers, codes) match few items and are ranked in full.
        var matches = budget ? "LIMIT @keywordBudget" : "";
        var rows = await connection.QueryAsync<(string Id, float Rank)>(new CommandDefinition(
            $"""
            WITH {SearchableItems.VisibleCte}, q AS (SELECT {tsQuery} AS query)
            SELECT m.id, ts_rank_cd(m.search, q.query, 32) AS rank
            FROM (SELECT i.id, i.search FROM {SearchableItems.Subquery}, q
                  WHERE i.search @@ q.query AND {SearchableItems.FilterClause} {matches}) m, q
            ORDER BY rank DESC, m.id
            LIMIT @depth
            """,
            args,
            cancellationToken: cancellationToken));
        var ranks = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (id, rank) in rows)
        {
            ranks.TryAdd(id, rank);
        }

        return ranks;
    }

    /// <summary>
    /// HNSW nearest neighbours within the reader's subcortexes. Iterative scans keep going when filters reject the
    /// first neighbours (pgvector 0.8); quarantine and the remaining filters are applied when hydrating.
    /// </summary>
    private static async Task<List<string>> VectorCandidatesAsync(
        NpgsqlConnection connection, DynamicParameters args, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            $"SET LOCAL hnsw.ef_search = {EfSearch.ToString(CultureInfo.InvariantCulture)}; SET LOCAL hnsw.iterative_scan = relaxed_order",
            transaction: transaction,
            cancellationToken: cancellationToken));
        var ids = (await connection.QueryAsync<string>(new CommandDefinition(
            $"""
            WITH {SearchableItems.VisibleCte}
            SELECT e.entity_id FROM embeddings e
            WHERE e.subcortex_id IN (SELECT id FROM visible)
              AND (cardinality(@kinds::text[]) = 0 OR e.entity = ANY(@kinds::text[]))
            ORDER BY e.embedding <=> @vector::vector
            LIMIT @depth
            """,
            args,
            transaction,
            cancellationToken: cancellationToken))).AsList();
        await transaction.CommitAsync(cancellationToken);
        return ids;
    }

    private static async Task<List<ScoredItem>> HydrateAsync(
        NpgsqlConnection connection, DynamicParameters args, bool withVectors, CancellationToken cancellationToken)
    {
        var vectorColumns = withVectors
            ? "1 - (e.embedding <=> @vector::vector) AS cosine, e.embedding::real[] AS vector"
            : "NULL::float8 AS cosine, NULL::real[] AS vector";
        var rows = await connection.QueryAsync<ScoredItem>(new CommandDefinition(
            $"""
            WITH {SearchableItems.VisibleCte},
            lex AS (SELECT array_agg(lexeme) AS words FROM unnest(to_tsvector('english', @query)))
            SELECT i.kind, i.id, i.thread_id AS threadid, i.title, i.subcortex, i.updated_at AS updatedat, i.trust, i.stale,
                   left(i.body, 8000) AS body, {vectorColumns},
                   coalesce((SELECT count(*) FROM unnest(lex.words) w WHERE w = ANY(tsvector_to_array(i.search))), 0)::float8
                       / greatest(cardinality(lex.words), 1) AS coverage
            FROM {SearchableItems.Subquery}
            LEFT JOIN embeddings e ON e.entity = i.kind AND e.entity_id = i.id
            CROSS JOIN lex
            WHERE i.id = ANY(@ids) AND {SearchableItems.FilterClause}
            """,
            args,
            cancellationToken: cancellationToken));
        return rows.AsList();
    }

    private static async Task<Dictionary<string, string>> SnippetsAsync(
        NpgsqlConnection connection, string tsQuery, string query, List<ScoredItem> page, CancellationToken cancellationToken)
    {
        if (page.Count == 0)
        {
            return [];
        }

        var rows = await connection.QueryAsync<(string Id, string Snippet)>(new CommandDefinition(
            $"""
            SELECT b.id, ts_headline('english', b.body, {tsQuery}, @options)
            FROM unnest(@ids, @bodies) AS b(id, body)
            """,
            new
            {
                query,
                ids = page.Select(i => i.Id).ToArray(),
                bodies = page.Select(i => i.Body).ToArray(),
                options = $"StartSel=\"{MarkStart}\", StopSel=\"{MarkEnd}\", MaxWords=35, MinWords=12, MaxFragments=2",
            },
            cancellationToken: cancellationToken));
        return rows.ToDictionary(r => r.Id, r => r.Snippet, StringComparer.Ordinal);
    }

    /// <summary>Escapes everything, then turns only our own private-use markers into &lt;mark&gt; tags.</summary>
    internal static string SnippetHtml(string snippet) =>
        System.Net.WebUtility.HtmlEncode(snippet).Replace(MarkStart.ToString(), "<mark>", StringComparison.Ordinal)
            .Replace(MarkEnd.ToString(), "</mark>", StringComparison.Ordinal);
}
