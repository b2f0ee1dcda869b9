using Microsoft.Data.Sqlite;

namespace Cortex.LocalSearch;

/// <summary>A query unit with its document frequency in the replica and its BM25 inverse document frequency.</summary>
internal sealed record WeightedUnit(QueryUnit Unit, long DocumentFrequency, double Idf, double NormalizedIdf);

/// <param name="Units">The units the FTS5 query searches, rarest first.</param>
/// <param name="TotalIdf">
/// The IDF of every meaningful unit of the query, including those that occur nowhere (at the IDF of a word
/// in no item): BM25 over it says how much of the query an item covers.
/// </param>
/// <param name="AllCommon">
/// Every unit matches more items than the keyword budget: BM25 scores only some of the matches (KeywordRetriever).
/// </param>
internal sealed record KeywordQuery(IReadOnlyList<WeightedUnit> Units, double TotalIdf, bool AllCommon = false)
{
    public static KeywordQuery Empty { get; } = new([], 0);

    public string MatchExpression => QueryAnalyzer.ToMatchExpression(Units.Select(u => u.Unit));
}

/// <summary>The keyword side: FTS5 with BM25, title weighted above body.</summary>
internal static class KeywordRetriever
{
    // bm25() with column weights 2 for the title, 1 for the body.
    private const string Bm25 = "bm25(search_fts, 2.0, 1.0)";

    // Ordinary words in more than this share of items carry no signal and make FTS5 score most of the replica;
    // below the minimum count a replica is too small for shares to mean anything.
    private const double CommonWordShare = 0.05;
    private const long CommonWordMinimum = 100;

    // Past this many units only the rarest are searched.
    private const int MaxUnits = 8;

    /// <summary>
    /// Looks up how many items contain each unit (a phrase counts as its rarest token, an upper bound) and keeps
    /// the units that can match and say something, within <paramref name="budget"/> matching items.
    /// </summary>
    /// <remarks>
    /// FTS5 computes BM25 (~1–2 µs) for every item any unit matches, and walks each unit's whole posting list once
    /// more for its IDF; a unit in a tenth of the replica cost more than the rest of the search (issue 5). So the
    /// rarest units are searched while their matches fit in the budget, and the more common ones are dropped,
    /// identifiers too: their IDF is low, so they add little to an item's score, and the vector side still sees
    /// the whole query. They stay in <see cref="KeywordQuery.TotalIdf"/>, so coverage is not overstated. When even
    /// the rarest unit is over the budget, the query is searched with all its units and <see cref="KeywordQuery.AllCommon"/>.
    /// </remarks>
    public static KeywordQuery Weigh(SqliteConnection connection, TermStatistics statistics, IReadOnlyList<QueryUnit> units, int budget)
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

        var rarestFirst = weighted.OrderBy(u => u.DocumentFrequency).Take(MaxUnits).ToList();
        var searched = new List<WeightedUnit>(rarestFirst.Count);
        var postings = 0L;
        foreach (var unit in rarestFirst)
        {
            if (postings + unit.DocumentFrequency > budget)
            {
                break;
            }

            searched.Add(unit);
            postings += unit.DocumentFrequency;
        }

        return searched.Count == 0 && rarestFirst.Count > 0
            ? new KeywordQuery(rarestFirst, totalIdf, AllCommon: true)
            : new KeywordQuery(searched, totalIdf);
    }

    /// <summary>
    /// The best BM25 matches, each scored as BM25 over <see cref="KeywordQuery.TotalIdf"/>, capped at 1 (1 is
    /// about every unit of the query matched once in an average-length item) and, when a query vector is given, its
    /// cosine similarity. BM25 scores every match (at most <paramref name="budget"/>, see <see cref="Weigh"/>), or for
    /// an <see cref="KeywordQuery.AllCommon"/> query a quarter of the budget of them (<see cref="ScoreCommon"/>).
    /// </summary>
    public static List<Candidate> Retrieve(
        SqliteConnection connection, KeywordQuery query, SearchFilter filter, byte[]? queryVector, int depth, int budget, long nowMs)
    {
        if (query.Units.Count == 0)
        {
            return [];
        }

        if (query.AllCommon)
        {
            var scores = ScoreCommon(connection, query, filter, depth, sample: Math.Max(depth, budget / 4));
            return Hydrate(connection, query, scores, queryVector, depth, nowMs);
        }

        using var command = connection.CreateCommand();
        var filterSql = FilterSql.Build(filter, "f.", command);
        var filterJoin = filterSql.Length == 0 ? "" : "JOIN search_item f ON f.rowid = search_fts.rowid";

        // BM25 ranks every match before LIMIT applies, so the inner query touches nothing but the index (and
        // the filter columns); item columns and the cosine are read for the top rows only.
        command.CommandText = $"""
            SELECT hits.score,
                   CASE WHEN i.embedding IS NULL THEN NULL ELSE {VectorSql(queryVector)} END,
                   {CandidateReader.Columns}
            FROM (SELECT search_fts.rowid AS rowid, {Bm25} AS score
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
        AddVector(command, queryVector);

        var candidates = new List<Candidate>(depth);
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

    /// <summary>
    /// A query of common units only: BM25 scores the newest <paramref name="sample"/> items that hold every unit
    /// (AND), and when fewer than <paramref name="depth"/> do, the newest that hold any, up to the sample. Items
    /// holding more of the query are the ones BM25 ranks first, and among near-equals newer is the better guess;
    /// every item scored gets its exact score (FTS5 takes each phrase's IDF from the whole index). The units' IDFs
    /// are all low, so scores bunch together: in the benchmark the top-10 keyword scores matched BM25 over every
    /// match equally often with samples of 1,000, 250 and 100, and 250 cost 1–1.5 ms less than 1,000.
    /// </summary>
    private static Dictionary<long, double> ScoreCommon(SqliteConnection connection, KeywordQuery query, SearchFilter filter, int depth, int sample)
    {
        var scores = new Dictionary<long, double>();
        var units = query.Units.Select(u => u.Unit).ToList();
        var found = ScoreNewest(connection, string.Join(" AND ", units.Select(u => u.MatchText)), filter, sample, scores);
        if (found < depth && units.Count > 1)
        {
            ScoreNewest(connection, query.MatchExpression, filter, sample - found, scores);
        }

        return scores;
    }

    /// <summary>Scores the newest items matching <paramref name="match"/> not scored yet, up to <paramref name="count"/>.</summary>
    private static int ScoreNewest(SqliteConnection connection, string match, SearchFilter filter, int count, Dictionary<long, double> scores)
    {
        using var command = connection.CreateCommand();
        var filterSql = FilterSql.Build(filter, "f.", command);
        var filterJoin = filterSql.Length == 0 ? "" : "JOIN search_item f ON f.rowid = search_fts.rowid";

        // FTS5 walks its index newest first and computes BM25 only for the rows read.
        command.CommandText = $"""
            SELECT search_fts.rowid, {Bm25}
            FROM search_fts {filterJoin}
            WHERE search_fts MATCH $match{filterSql}
            ORDER BY search_fts.rowid DESC
            """;
        command.Parameters.AddWithValue("$match", match);
        var added = 0;
        using var reader = command.ExecuteReader();
        while (added < count && reader.Read())
        {
            if (scores.TryAdd(reader.GetInt64(0), reader.GetDouble(1)))
            {
                added++;
            }
        }

        return added;
    }

    /// <summary>The best-scored items with the columns a candidate needs, best first; quarantined ones left out.</summary>
    private static List<Candidate> Hydrate(
        SqliteConnection connection, KeywordQuery query, Dictionary<long, double> scores, byte[]? queryVector, int depth, long nowMs)
    {
        var top = scores.OrderBy(s => s.Value).ThenByDescending(s => s.Key).Take(depth).ToList();
        if (top.Count == 0)
        {
            return [];
        }

        using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT CASE WHEN i.embedding IS NULL THEN NULL ELSE {VectorSql(queryVector)} END, {CandidateReader.Columns}
            FROM search_item i
            WHERE i.rowid IN (SELECT value FROM json_each($rowIds)) AND i.quarantined = 0
            """;
        command.Parameters.AddWithValue("$rowIds", "[" + string.Join(',', top.Select(s => s.Key)) + "]");
        AddVector(command, queryVector);
        var read = new Dictionary<long, Candidate>(top.Count);
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                var candidate = CandidateReader.Read(reader, 1, nowMs);
                candidate.Vector = reader.IsDBNull(0) ? null : reader.GetDouble(0);
                read[candidate.RowId] = candidate;
            }
        }

        var candidates = new List<Candidate>(top.Count);
        foreach (var (rowId, score) in top)
        {
            if (read.TryGetValue(rowId, out var candidate))
            {
                candidate.Keyword = Math.Min(1.0, -score / query.TotalIdf);
                candidate.KeywordRank = candidates.Count + 1;
                candidates.Add(candidate);
            }
        }

        return candidates;
    }

    private static string VectorSql(byte[]? queryVector) => queryVector is null ? "NULL" : "1 - vec_distance_cosine(i.embedding, $queryVector)";

    private static void AddVector(SqliteCommand command, byte[]? queryVector)
    {
        if (queryVector is not null)
        {
            command.Parameters.AddWithValue("$queryVector", queryVector);
        }
    }
}
