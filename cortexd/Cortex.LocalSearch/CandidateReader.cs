using Microsoft.Data.Sqlite;

namespace Cortex.LocalSearch;

/// <summary>Reads the item columns both retrievers select, in this order, after their own leading columns.</summary>
internal static class CandidateReader
{
    public const string Columns =
        "i.rowid, i.id, i.kind, i.subcortex, i.parent_id, i.title, i.trust, i.stale, i.contradiction, i.pending, i.review_due, i.updated";

    public static Candidate Read(SqliteDataReader reader, int first, long nowMs) => new()
    {
        RowId = reader.GetInt64(first),
        Id = reader.GetString(first + 1),
        Kind = SearchText.ParseKind(reader.GetString(first + 2)),
        Subcortex = reader.GetString(first + 3),
        ParentId = reader.IsDBNull(first + 4) ? null : reader.GetString(first + 4),
        Title = reader.GetString(first + 5),
        Trust = SearchText.ParseTrust(reader.GetString(first + 6)),
        Stale = reader.GetBoolean(first + 7) || (!reader.IsDBNull(first + 10) && reader.GetInt64(first + 10) < nowMs),
        Contradiction = reader.GetBoolean(first + 8),
        Pending = reader.GetBoolean(first + 9),
        Updated = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(first + 11)),
    };
}
