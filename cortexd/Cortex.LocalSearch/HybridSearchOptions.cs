namespace Cortex.LocalSearch;

/// <summary>Tuning knobs of <see cref="HybridSearch"/>; the defaults are the measured ones in README.md.</summary>
public sealed record HybridSearchOptions
{
    public static HybridSearchOptions Default { get; } = new();

    /// <summary>Where the bit-quantized candidates come from.</summary>
    public VectorPath VectorPath { get; init; } = VectorPath.InMemoryBits;

    /// <summary>
    /// Hamming-distance candidates taken from the bit vectors before re-ranking (int8 in memory, then full
    /// precision). 1,000 gives recall@10 ≥ 0.95 against exact KNN at 100,000 items (README.md).
    /// </summary>
    public int VectorCandidates { get; init; } = 1000;

    /// <summary>How many re-scored vector hits and how many BM25 hits enter the fusion.</summary>
    public int FusionDepth { get; init; } = 50;

    /// <summary>
    /// The most keyword matches BM25 scores per query (~1–2 µs each; the server's hybrid search ranks at most 2,000).
    /// The query's rarest units are searched while their matches fit in it and the more common ones are dropped; a
    /// query whose every unit is over it is scored on its newest matches (KeywordRetriever, README.md).
    /// </summary>
    public int KeywordBudget { get; init; } = 1000;

    public string HighlightOpen { get; init; } = "**";

    public string HighlightClose { get; init; } = "**";

    /// <summary>Tokens in a snippet.</summary>
    public int SnippetTokens { get; init; } = 24;

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}

/// <summary>How the vector side finds candidates before re-scoring them with full-precision vectors.</summary>
public enum VectorPath
{
    /// <summary>A Hamming scan over in-memory bit vectors, then an int8 re-rank: cost nearly independent of the candidate count.</summary>
    InMemoryBits,

    /// <summary>sqlite-vec's vec0 KNN over the <c>search_vec</c> bit vectors: cost grows with the candidate count.</summary>
    SqliteVecBits,
}
