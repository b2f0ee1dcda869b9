using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Cortex.LocalSearch;

/// <summary>
/// Document frequencies of query terms, cached per replica, and reused until the number of indexed items has
/// moved by more than 2%: IDF only needs to be roughly right.
/// </summary>
/// <remarks>
/// fts5vocab counts a term's documents by walking its whole posting list (~5 ms for a term in half of 100,000 items),
/// and every first sight of a common term paid that inside a search (issue 5). Instead the first <see cref="ExactUpTo"/> matches in rowid order are read (FTS5 stops there; newest first would
/// make it decode whole posting lists, ~5 ms cold for a common term): a rarer term is counted exactly, and a more
/// common one is estimated from how much of the rowid range its first matches span (within 2% on the benchmark's
/// terms). Decisions at the keyword budget and the common-word share are far below or above that error.
/// </remarks>
internal sealed class TermStatistics
{
    /// <summary>Terms in at most this many items are counted exactly.</summary>
    public const int ExactUpTo = 4096;

    private const double Tolerance = 0.02;
    private const int MaxTerms = 50_000;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, (long Documents, long Total)> _cache = new(StringComparer.Ordinal);

    /// <summary>The number of indexed items and each token's document frequency (exact up to <see cref="ExactUpTo"/>).</summary>
    public (long Total, Dictionary<string, long> Frequencies) Lookup(SqliteConnection connection, IEnumerable<string> tokens)
    {
        long total;
        using (var count = connection.CreateCommand())
        {
            count.CommandText = "SELECT indexed_items FROM search_stats WHERE singleton = 1";
            total = Convert.ToInt64(count.ExecuteScalar(), CultureInfo.InvariantCulture);
        }

        var frequencies = new Dictionary<string, long>(StringComparer.Ordinal);
        SqliteCommand? first = null;
        (long First, long Last)? rowIds = null;
        try
        {
            foreach (var token in tokens)
            {
                lock (_gate)
                {
                    if (_cache.TryGetValue(token, out var cached) && Math.Abs(cached.Total - total) <= Tolerance * Math.Max(total, 1))
                    {
                        frequencies[token] = cached.Documents;
                        continue;
                    }
                }

                first ??= FirstMatches(connection);
                first.Parameters["$term"].Value = "\"" + token.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
                long documents;
                using (var reader = first.ExecuteReader())
                {
                    reader.Read();
                    documents = reader.GetInt64(0);
                    if (documents == ExactUpTo)
                    {
                        rowIds ??= RowIdRange(connection);
                        var spanned = Math.Max(1, reader.GetInt64(1) - rowIds.Value.First + 1);
                        var whole = Math.Max(1, rowIds.Value.Last - rowIds.Value.First + 1);
                        documents = Math.Clamp((long)((double)ExactUpTo * whole / spanned), ExactUpTo, Math.Max(total, ExactUpTo));
                    }
                }

                frequencies[token] = documents;

                // An absent term is never cached: the next write may add it, and a cached zero would hide that item.
                if (documents == 0)
                {
                    continue;
                }

                lock (_gate)
                {
                    if (_cache.Count >= MaxTerms)
                    {
                        _cache.Clear();
                    }

                    _cache[token] = (documents, total);
                }
            }
        }
        finally
        {
            first?.Dispose();
        }

        return (total, frequencies);
    }

    private static SqliteCommand FirstMatches(SqliteConnection connection)
    {
        var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT count(*), max(rowid)
            FROM (SELECT rowid FROM search_fts WHERE search_fts MATCH $term LIMIT {ExactUpTo.ToString(CultureInfo.InvariantCulture)})
            """;
        command.Parameters.Add("$term", SqliteType.Text);
        return command;
    }

    private static (long First, long Last) RowIdRange(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        // Two subqueries: SQLite reads min() or max() of the rowid from the b-tree's edge only when it is alone.
        command.CommandText = "SELECT coalesce((SELECT min(rowid) FROM search_item), 0), coalesce((SELECT max(rowid) FROM search_item), 0)";
        using var reader = command.ExecuteReader();
        reader.Read();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }
}
