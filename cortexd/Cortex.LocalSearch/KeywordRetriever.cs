using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Cortex.LocalSearch;

/// <summary>A query unit with its document frequency in the replica and its BM25 inverse document frequency.</summary>
internal sealed record WeightedUnit(QueryUnit Unit, long DocumentFrequency, double Idf, double NormalizedIdf);

/// <param name="Units">The units that occur in the replica and are not too common: what the FTS5 query matches.</param>
/// <param name="TotalIdf">
/// The IDF of every meaningful unit of the query, including those that occur nowhere (at the IDF of a word
/// in no item): BM25 over it says how much of the query an item covers.
/// </param>
internal sealed record KeywordQuery(IReadOnlyList<WeightedUnit> Units, double TotalIdf)
{
    public static KeywordQuery Empty { get; } = new([], 0);

    public string MatchExpression => QueryAnalyzer.ToMatchExpression(Units.Select(u => u.Unit));
}

/// <summary>The keyword side: FTS5 with BM25, title weighted above body.</summary>
internal static class KeywordRetriever
{
    // bm25() column weights for (title, body).
    private const double TitleWeight = 2.0;
    private const double BodyWeight = 1.0;

    // Ordinary words in more than this share of items carry no signal and make FTS5 score most of the replica;
    // below the minimum count a replica is too small for shares to mean anything.
    private const double CommonWordShare = 0.05;
    private const long CommonWordMinimum = 100;

    // FTS5 scores every item any unit matches; past this many units, or this many matching items, only the
    // rarest units are searched (BM25 costs ~1 µs a matching item).
    private const int MaxUnits = 8;
    private const double PostingBudgetShare = 0.02;
    private const long PostingBudgetMinimum = 1000;

    /// <summary>
    /// Looks up how many items contain each unit (a phrase counts as its rarest token, an upper bound) and keeps
    /// the units that can match and say something, within the matching-item budget.
    /// </summary>
    public static KeywordQuery Weigh(SqliteConnection connection, TermStatistics statistics, IReadOnlyList<QueryUnit> units)
    {
        if (units.Count == 0)
        {
            return KeywordQuery.Empty;
        }

        var (total, frequencies) = statistics.Lookup(connection, units.SelectMany(u => u.Tokens).Distinct(StringComparer.Ordinal));
        var weighted = new List<WeightedUnit>(units.Count);
        var totalIdf = 0.0;
        foreach (var unit in units)
        {
            var df = unit.Tokens.Min(t => frequencies[t]);
            if (!unit.IsIdentifier && df > CommonWordMinimum && df > CommonWordShare * total)
            {
                continue;
            }

            // FTS5's own IDF, so that BM25 scores can be normalized by the query's total weight.
            var idf = Math.Max(1e-6, Math.Log((total - df + 0.5) / (df + 0.5)));
            totalIdf += idf;
            if (df > 0)
            {
                weighted.Add(new WeightedUnit(unit, df, idf, Math.Clamp(idf / Math.Log(total + 1.5), 0, 1)));
            }
        }

        // Rarest first, within a budget of matching items: FTS5 computes BM25 for every item any unit matches.
        var budget = Math.Max(PostingBudgetMinimum, (long)(PostingBudgetShare * total));
        var searched = new List<WeightedUnit>(MaxUnits);
        var postings = 0L;
        foreach (var unit in weighted.OrderBy(u => u.DocumentFrequency))
        {
            if (searched.Count == MaxUnits || (searched.Count > 0 && !unit.Unit.IsIdentifier && postings + unit.DocumentFrequency > budget))
            {
                continue;
            }

            searched.Add(unit);
            postings += unit.DocumentFrequency;
        }

        return new KeywordQuery(searched, totalIdf);
    }

    /// <summary>
    /// The best BM25 matches, each scored as BM25 over <see cref="KeywordQuery.TotalIdf"/>, capped at 1 (1 is
    /// about every unit of the query matched once in an average-length item) and, when a query vector is given, its cosine similarity.
    /// </summary>
    public static List<Candidate> Retrieve(
        SqliteConnection connection, KeywordQuery query, SearchFilter filter, byte[]? queryVector, int depth, long nowMs)
    {
        var candidates = new List<Candidate>(depth);
        if (query.Units.Count == 0)
        {
            return candidates;
        }

        using var command = connection.CreateCommand();
        var filterSql = FilterSql.Build(filter, "f.", command);
        var filterJoin = filterSql.Length == 0 ? "" : "JOIN search_item f ON f.rowid = search_fts.rowid";
        var vectorSql = queryVector is null ? "NULL" : "1 - vec_distance_cosine(i.embedding, $queryVector)";

        // BM25 ranks every match before LIMIT applies, so the inner query touches nothing but the index (and
        // the filter columns); item columns and the cosine are read for the top rows only.
        command.CommandText = $"""
            SELECT hits.score,
                   CASE WHEN i.embedding IS NULL THEN NULL ELSE {vectorSql} END,
                   {CandidateReader.Columns}
            FROM (SELECT search_fts.rowid AS rowid,
                         bm25(search_fts, {TitleWeight.ToString(CultureInfo.InvariantCulture)}, {BodyWeight.ToString(CultureInfo.InvariantCulture)}) AS score
                  FROM search_fts {filterJoin}
                  WHERE search_fts MATCH $match{filterSql}
                  ORDER BY score
                  LIMIT $depth) AS hits
            JOIN search_item i ON i.rowid = hits.rowid
            WHERE i.quarantined = 0
            ORDER BY hits.score
            """;
        command.Parameters.AddWithValue("$match", query.MatchExpression);
        command.Parameters.AddWithValue("$depth", depth);
        if (queryVector is not null)
        {
            command.Parameters.AddWithValue("$queryVector", queryVector);
        }

        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var candidate = CandidateReader.Read(reader, 2, nowMs);
            candidate.Keyword = Math.Min(1.0, -reader.GetDouble(0) / query.TotalIdf);
            candidate.KeywordRank = candidates.Count + 1;
            candidate.Vector = reader.IsDBNull(1) ? null : reader.GetDouble(1);
            candidates.Add(candidate);
        }

        return candidates;
    }
}
