using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Cortex.Embeddings;
using Microsoft.Data.Sqlite;

namespace Cortex.LocalSearch;

/// <summary>
/// Hybrid search over the replica: FTS5/BM25 and sqlite-vec KNN, fused adaptively to the query, then adjusted
/// by trust (canon first among near-ties; stale and contradicted lower; quarantined never returned).
/// Thread-safe; a <see cref="SqliteConnection"/> is not, so give each concurrent caller its own.
/// </summary>
public sealed class HybridSearch
{
    public const int MaxLimit = 100;

    // Results below the requested page that may still move up past a less trusted near-duplicate of themselves.
    private const int DuplicateWindow = 10;

    private readonly ITextEmbedder? _embedder;
    private readonly HybridSearchOptions _options;

    // Caches per replica file; an in-memory database is private to its connection.
    private readonly Dictionary<string, ReplicaCaches> _fileCaches = new(StringComparer.Ordinal);
    private readonly ConditionalWeakTable<SqliteConnection, ReplicaCaches> _memoryCaches = [];

    /// <param name="embedder">Embeds queries; null allows only keyword search or callers that pass a query vector.</param>
    /// <param name="options">Tuning; <see cref="HybridSearchOptions.Default"/> when null.</param>
    public HybridSearch(ITextEmbedder? embedder, HybridSearchOptions? options = null)
    {
        _embedder = embedder;
        _options = options ?? HybridSearchOptions.Default;
        if (_options.VectorCandidates < 1 || _options.FusionDepth < 1 || _options.KeywordBudget < 2)
        {
            throw new ArgumentException("VectorCandidates and FusionDepth must be positive, KeywordBudget at least 2.", nameof(options));
        }
    }

    /// <summary>Searches, embedding the query with the configured embedder unless the mode is keyword-only.</summary>
    public SearchResponse Search(SqliteConnection connection, SearchRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        float[]? vector = null;
        if (request.Mode != SearchMode.Keyword)
        {
            var embedder = _embedder
                ?? throw new InvalidOperationException("This HybridSearch has no embedder; pass a query vector or search by keyword.");
            vector = embedder.Embed(request.Query, cancellationToken);
        }

        return Search(connection, request, vector, cancellationToken);
    }

    /// <summary>Searches with a query vector the caller already has (384 floats, L2-normalized), or none.</summary>
    public SearchResponse Search(SqliteConnection connection, SearchRequest request, float[]? queryVector, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentOutOfRangeException.ThrowIfLessThan(request.Limit, 1, nameof(request));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(request.Limit, MaxLimit, nameof(request));
        if (request.Mode == SearchMode.Semantic && queryVector is null)
        {
            throw new ArgumentException("A semantic search needs a query vector.", nameof(queryVector));
        }

        var filter = request.Filter ?? SearchFilter.None;
        var now = _options.TimeProvider.GetUtcNow();
        var nowMs = now.ToUnixTimeMilliseconds();
        var depth = Math.Max(_options.FusionDepth, request.Limit);
        var vectorBlob = queryVector is null || request.Mode == SearchMode.Keyword ? null : VectorBlob.ToBlob(queryVector);

        var units = QueryAnalyzer.Analyze(request.Query);
        var keywordQuery = request.Mode == SearchMode.Semantic
            ? KeywordQuery.Empty
            : KeywordRetriever.Weigh(connection, CachesOf(connection).Terms, units, _options.KeywordBudget);
        var keywordHits = KeywordRetriever.Retrieve(connection, keywordQuery, filter, vectorBlob, depth, _options.KeywordBudget, nowMs);
        cancellationToken.ThrowIfCancellationRequested();
        var vectorHits = vectorBlob is null ? [] : VectorHits(connection, vectorBlob, filter, depth, nowMs);
        cancellationToken.ThrowIfCancellationRequested();

        var profile = Fusion.Profile(request.Mode, keywordQuery, keywordHits);
        var candidates = Merge(keywordHits, vectorHits);

        // An item without a vector (a local write not embedded yet) counts as the weakest vector candidate.
        var missingVector = vectorHits.Count == 0 ? 0 : vectorHits[^1].Vector ?? 0;
        Fusion.Score(candidates.Values, profile.KeywordWeight, missingVector, now);

        var window = candidates.Values
            .OrderByDescending(c => c.Score)
            .ThenBy(c => c.Id, StringComparer.Ordinal)
            .Take(request.Limit + DuplicateWindow)
            .ToList();
        var contents = LoadContents(connection, window);
        var top = Duplicates.PreferTrusted(window, contents).Take(request.Limit).ToList();
        return new SearchResponse(ToHits(connection, top, contents, units, profile.MatchExpression), profile);
    }

    /// <summary>The fast vector path alone: bit-quantized KNN re-scored with full-precision vectors. Ids, best first.</summary>
    public IReadOnlyList<string> NearestByVector(SqliteConnection connection, float[] queryVector, int k, SearchFilter? filter = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(queryVector);
        return VectorHits(connection, VectorBlob.ToBlob(queryVector), filter ?? SearchFilter.None, k, 0).ConvertAll(h => h.Id);
    }

    /// <summary>Exact float KNN by scanning every stored vector: the baseline for measuring the fast path. Ids, best first.</summary>
    public static IReadOnlyList<string> ExactNearestByVector(SqliteConnection connection, float[] queryVector, int k)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(queryVector);
        var rowIds = VectorRetriever.ExactNearest(connection, VectorBlob.ToBlob(queryVector), k);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id FROM search_item WHERE rowid = $rowId";
        var rowId = command.Parameters.Add("$rowId", SqliteType.Integer);
        var ids = new List<string>(rowIds.Count);
        foreach (var (id, _) in rowIds)
        {
            rowId.Value = id;
            ids.Add((string)command.ExecuteScalar()!);
        }

        return ids;
    }

    private List<Candidate> VectorHits(SqliteConnection connection, byte[] queryVector, SearchFilter filter, int depth, long nowMs)
    {
        var candidates = Math.Max(_options.VectorCandidates, depth);
        if (_options.VectorPath == VectorPath.SqliteVecBits)
        {
            return VectorRetriever.RetrieveWithSqliteVec(connection, queryVector, filter, candidates, depth, nowMs);
        }

        // The int8 re-rank is close to exact; a margin of extra items absorbs its rounding at the cut.
        var rowIds = CachesOf(connection).Vectors.Nearest(connection, MemoryMarshal.Cast<byte, float>(queryVector), filter, candidates, Math.Max(2 * depth, 50));
        return VectorRetriever.Rescore(connection, queryVector, rowIds, depth, nowMs);
    }

    private ReplicaCaches CachesOf(SqliteConnection connection)
    {
        var file = connection.DataSource;
        if (string.IsNullOrEmpty(file) || file == ":memory:" || connection.ConnectionString.Contains("Mode=Memory", StringComparison.OrdinalIgnoreCase))
        {
            return _memoryCaches.GetValue(connection, _ => new ReplicaCaches());
        }

        lock (_fileCaches)
        {
            var key = Path.GetFullPath(file);
            if (!_fileCaches.TryGetValue(key, out var caches))
            {
                _fileCaches[key] = caches = new ReplicaCaches();
            }

            return caches;
        }
    }

    private sealed class ReplicaCaches
    {
        public QuantizedIndex Vectors { get; } = new();

        public TermStatistics Terms { get; } = new();
    }

    private static Dictionary<long, Candidate> Merge(List<Candidate> keywordHits, List<Candidate> vectorHits)
    {
        var merged = new Dictionary<long, Candidate>(keywordHits.Count + vectorHits.Count);
        foreach (var hit in keywordHits)
        {
            merged[hit.RowId] = hit;
        }

        foreach (var hit in vectorHits)
        {
            if (merged.TryGetValue(hit.RowId, out var known))
            {
                known.VectorRank = hit.VectorRank;
                known.Vector = hit.Vector;
            }
            else
            {
                merged[hit.RowId] = hit;
            }
        }

        return merged;
    }

    private static Dictionary<long, Duplicates.Content> LoadContents(SqliteConnection connection, List<Candidate> candidates)
    {
        var contents = new Dictionary<long, Duplicates.Content>(candidates.Count);
        if (candidates.Count == 0)
        {
            return contents;
        }

        using var command = connection.CreateCommand();
        command.CommandText = "SELECT rowid, title, body, embedding FROM search_item WHERE rowid IN (SELECT value FROM json_each($rowIds))";
        command.Parameters.AddWithValue("$rowIds", "[" + string.Join(',', candidates.Select(c => c.RowId)) + "]");
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var vector = reader.IsDBNull(3) ? null : VectorBlob.FromBlob((byte[])reader.GetValue(3));
            contents[reader.GetInt64(0)] = new Duplicates.Content(vector, reader.GetString(1), reader.GetString(2));
        }

        return contents;
    }

    private List<SearchHit> ToHits(
        SqliteConnection connection, List<Candidate> top, Dictionary<long, Duplicates.Content> contents, IReadOnlyList<QueryUnit> units, string matchExpression)
    {
        var matched = top.Where(c => c.KeywordRank is not null).Select(c => c.RowId).ToList();
        var snippets = matchExpression.Length == 0
            ? []
            : Snippets.FromFts(connection, matchExpression, matched, _options);
        var terms = QueryAnalyzer.HighlightTerms(units);
        foreach (var candidate in top.Where(c => !snippets.ContainsKey(c.RowId)))
        {
            snippets[candidate.RowId] = Snippets.Lead(contents[candidate.RowId].Body, terms, _options);
        }

        return top.ConvertAll(c => new SearchHit(
            c.Id, c.Kind, c.Title, snippets.GetValueOrDefault(c.RowId, ""), c.Trust, c.Subcortex, c.Updated,
            c.Pending, c.Stale, c.Contradiction, c.ParentId,
            new SearchScores(c.Score, c.Relevance, c.Keyword, c.Vector, c.KeywordRank, c.VectorRank)));
    }
}
