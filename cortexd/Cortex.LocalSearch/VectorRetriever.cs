using Microsoft.Data.Sqlite;

namespace Cortex.LocalSearch;

/// <summary>
/// The vector side: Hamming-distance KNN over 1-bit quantized vectors in sqlite-vec (48 bytes an item,
/// filters applied as vec0 metadata inside the scan), then exact cosine re-scoring of those candidates with
/// the full-precision vectors from <c>search_item</c>.
/// </summary>
internal static class VectorRetriever
{
    public static List<Candidate> RetrieveWithSqliteVec(
        SqliteConnection connection, byte[] queryVector, SearchFilter filter, int bitCandidates, int depth, long nowMs)
    {
        using var command = connection.CreateCommand();
        var filterSql = FilterSql.Build(filter, "", command);
        command.CommandText = $"""
            SELECT 1 - vec_distance_cosine(i.embedding, $queryVector) AS similarity, {CandidateReader.Columns}
            FROM (SELECT rowid FROM search_vec
                  WHERE embedding MATCH vec_quantize_binary($queryVector) AND k = $k{filterSql}) AS knn
            JOIN search_item i ON i.rowid = knn.rowid
            WHERE i.quarantined = 0
            ORDER BY similarity DESC
            LIMIT $depth
            """;
        command.Parameters.AddWithValue("$queryVector", queryVector);
        command.Parameters.AddWithValue("$k", bitCandidates);
        command.Parameters.AddWithValue("$depth", depth);

        var candidates = new List<Candidate>(depth);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var candidate = CandidateReader.Read(reader, 1, nowMs);
            candidate.Vector = reader.GetDouble(0);
            candidate.VectorRank = candidates.Count + 1;
            candidates.Add(candidate);
        }

        return candidates;
    }

    /// <summary>Re-scores the candidates of a <see cref="QuantizedIndex"/> scan with the full-precision vectors.</summary>
    public static List<Candidate> Rescore(
        SqliteConnection connection, byte[] queryVector, IReadOnlyCollection<long> rowIds, int depth, long nowMs)
    {
        var candidates = new List<Candidate>(depth);
        if (rowIds.Count == 0)
        {
            return candidates;
        }

        using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT 1 - vec_distance_cosine(i.embedding, $queryVector) AS similarity, {CandidateReader.Columns}
            FROM search_item i
            WHERE i.rowid IN (SELECT value FROM json_each($rowIds)) AND i.quarantined = 0 AND i.embedding IS NOT NULL
            ORDER BY similarity DESC
            LIMIT $depth
            """;
        command.Parameters.AddWithValue("$queryVector", queryVector);
        command.Parameters.AddWithValue("$rowIds", "[" + string.Join(',', rowIds) + "]");
        command.Parameters.AddWithValue("$depth", depth);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var candidate = CandidateReader.Read(reader, 1, nowMs);
            candidate.Vector = reader.GetDouble(0);
            candidate.VectorRank = candidates.Count + 1;
            candidates.Add(candidate);
        }

        return candidates;
    }

    /// <summary>Exact float KNN by a full scan of the stored vectors: the baseline the fast path is measured against.</summary>
    public static List<(long RowId, double Similarity)> ExactNearest(SqliteConnection connection, byte[] queryVector, int k)
    {
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT rowid, 1 - vec_distance_cosine(embedding, $queryVector) AS similarity
            FROM search_item
            WHERE quarantined = 0 AND embedding IS NOT NULL
            ORDER BY similarity DESC
            LIMIT $k
            """;
        command.Parameters.AddWithValue("$queryVector", queryVector);
        command.Parameters.AddWithValue("$k", k);
        var nearest = new List<(long, double)>(k);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            nearest.Add((reader.GetInt64(0), reader.GetDouble(1)));
        }

        return nearest;
    }
}
