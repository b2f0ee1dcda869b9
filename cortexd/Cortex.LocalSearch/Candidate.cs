namespace Cortex.LocalSearch;

/// <summary>An item found by either retriever, with what fusion and trust adjustment need.</summary>
internal sealed class Candidate
{
    public required long RowId { get; init; }

    public required string Id { get; init; }

    public required SearchItemKind Kind { get; init; }

    public required string Subcortex { get; init; }

    public required string? ParentId { get; init; }

    public required string Title { get; init; }

    public required TrustLevel Trust { get; init; }

    public required bool Stale { get; init; }

    public required bool Contradiction { get; init; }

    public required bool Pending { get; init; }

    public required DateTimeOffset Updated { get; init; }

    /// <summary>Cosine similarity with the query, when both have vectors.</summary>
    public double? Vector { get; set; }

    public double Keyword { get; set; }

    public int? KeywordRank { get; set; }

    public int? VectorRank { get; set; }

    public double Relevance { get; set; }

    public double Score { get; set; }
}
