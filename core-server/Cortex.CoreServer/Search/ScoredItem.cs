namespace Cortex.CoreServer.Search;

/// <summary>One candidate of a search, hydrated with what fusion, trust and near-duplicate detection need.</summary>
internal sealed class ScoredItem
{
    public required string Kind { get; init; }
    public required string Id { get; init; }
    public string? ThreadId { get; init; }
    public required string Title { get; init; }
    public required string Subcortex { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
    public required string Trust { get; init; }
    public required bool Stale { get; init; }
    public required string Body { get; init; }

    /// <summary>Cosine similarity with the query; null when the item has no vector yet.</summary>
    public double? Cosine { get; init; }

    public float[]? Vector { get; init; }

    /// <summary>Share of the query's words the item contains (0–1).</summary>
    public double Coverage { get; init; }

    /// <summary>Postgres full-text rank normalized to 0–1 (keyword mode).</summary>
    public double KeywordRank { get; set; }

    public double Relevance { get; set; }

    public double Score { get; set; }

    /// <summary>Higher is more trusted: canon 5 … draft 0.</summary>
    public int TrustOrder => Trust switch
    {
        "canon" => 5,
        "accepted" => 4,
        "reviewed" => 3,
        "comment" => 2,
        "observation" => 1,
        _ => 0,
    };
}
