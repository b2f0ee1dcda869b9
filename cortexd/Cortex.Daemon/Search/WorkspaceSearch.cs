using Cortex.Embeddings;
using Cortex.LocalSearch;
using Microsoft.Data.Sqlite;

namespace Cortex.Daemon.Search;

/// <summary>
/// Hybrid search over one workspace's replica, as the CLI, the MCP server and the daemon run it: pending rows
/// reconciled with the outbox first, subcortex slugs translated to the ids the index holds and back.
/// One instance per process (it holds the in-memory vector index); each call opens its own connection.
/// </summary>
internal sealed class WorkspaceSearch(string replicaFile, ITextEmbedder embedder)
{
    private readonly HybridSearch _search = new(embedder);

    public string ReplicaFile { get; } = replicaFile;

    /// <summary>A connection with sqlite-vec loaded and the search tables present.</summary>
    public SqliteConnection Open() => SearchDatabase.Open(ReplicaFile);

    /// <exception cref="ArgumentException">the query's filters are invalid.</exception>
    public IReadOnlyList<CitableHit> Search(WorkspaceQuery query, CancellationToken cancellationToken = default)
    {
        using var connection = Open();
        PendingWriteIndex.Reconcile(connection);
        var slugs = Subcortexes.SlugsById(connection);
        var ids = slugs.ToDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);
        var request = new SearchRequest(query.Text, query.ToFilter(slug => ids.GetValueOrDefault(slug, slug)), query.Limit,
            query.KeywordOnly ? SearchMode.Keyword : SearchMode.Hybrid);
        var response = _search.Search(connection, request, cancellationToken);
        return [.. response.Hits.Select(hit => new CitableHit(
            hit.Id, hit.Kind.ToText(), hit.Title, hit.Snippet, hit.Trust.ToText(), slugs.GetValueOrDefault(hit.Subcortex, hit.Subcortex),
            hit.Updated, hit.Pending, hit.Stale, hit.ParentId))];
    }
}
