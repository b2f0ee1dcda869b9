namespace Cortex.CoreServer.Search;

public enum SearchMode
{
    /// <summary>Postgres full-text search with the web-search syntax (quotes, <c>-word</c>, <c>or</c>).</summary>
    Keyword,

    /// <summary>Nearest neighbours of the query's MiniLM vector (pgvector HNSW).</summary>
    Semantic,

    /// <summary>Both, fused with a keyword weight chosen per query, then adjusted by trust.</summary>
    Hybrid,
}
