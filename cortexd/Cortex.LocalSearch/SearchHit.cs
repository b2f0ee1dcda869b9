namespace Cortex.LocalSearch;

/// <summary>
/// One result, with what an agent needs to cite it. <see cref="Snippet"/> marks matched words with
/// <see cref="HybridSearchOptions.HighlightOpen"/> and <see cref="HybridSearchOptions.HighlightClose"/>.
/// </summary>
public sealed record SearchHit(
    string Id,
    SearchItemKind Kind,
    string Title,
    string Snippet,
    TrustLevel Trust,
    string Subcortex,
    DateTimeOffset Updated,
    bool Pending,
    bool Stale,
    bool Contradiction,
    string? ParentId,
    SearchScores Scores);

/// <summary>
/// Why a hit ranked where it did. <see cref="Relevance"/> is the fused keyword/vector score before trust;
/// <see cref="Score"/> is what results are ordered by.
/// </summary>
/// <param name="Score">Relevance plus the trust adjustment; hits are ordered by it.</param>
/// <param name="Relevance">Keyword and vector scores fused with the query's keyword weight.</param>
/// <param name="Keyword">BM25 normalized by the query's total term weight (about 0 to 1); 0 when no keyword matched.</param>
/// <param name="Vector">Cosine similarity of full-precision vectors; null when the item has no vector.</param>
/// <param name="KeywordRank">1-based rank in the keyword list, null when not in it.</param>
/// <param name="VectorRank">1-based rank in the re-scored vector list, null when not in it.</param>
public sealed record SearchScores(double Score, double Relevance, double Keyword, double? Vector, int? KeywordRank, int? VectorRank);

/// <summary>How the query was read and how much the keyword side was trusted for it.</summary>
/// <param name="KeywordWeight">Weight of the keyword score in the fusion (the vector score gets 1 minus it).</param>
/// <param name="MatchExpression">The FTS5 query that ran; empty when the keyword side was skipped.</param>
/// <param name="Specificity">The highest normalized IDF (0 to 1) among the query units that occur in the replica.</param>
/// <param name="KeywordStrength">The best normalized BM25 score of the keyword side.</param>
/// <param name="IdentifierMatched">Whether an identifier-like term (code, flag, error number) occurs in the replica.</param>
public sealed record QueryProfile(double KeywordWeight, string MatchExpression, bool IdentifierMatched, double Specificity, double KeywordStrength);

public sealed record SearchResponse(IReadOnlyList<SearchHit> Hits, QueryProfile Profile);
