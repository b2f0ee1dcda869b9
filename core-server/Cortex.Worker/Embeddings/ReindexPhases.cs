namespace Cortex.Worker.Embeddings;

/// <summary>
/// The steps of a reindex run, in order. Re-embedding and rewriting rows go chunk by chunk (resumable at the stored
/// cursor); the index rebuilds happen only for a run over everything, since an index spans all subcortexes.
/// </summary>
internal static class ReindexPhases
{
    public const string Embeddings = "embeddings";
    public const string EmbeddingsIndex = "embeddings-index";
    public const string FullText = "fulltext";
    public const string FullTextIndex = "fulltext-index";

    /// <summary>The GIN indexes of the full-text search columns.</summary>
    public static readonly IReadOnlyList<string> FullTextIndexes =
        ["threads_search", "comments_search", "observations_search", "artifact_versions_search"];

    public static List<string> For(IReadOnlyCollection<string> targets, bool wholeDatabase)
    {
        var phases = new List<string>();
        if (targets.Contains("embeddings"))
        {
            phases.Add(Embeddings);
            if (wholeDatabase)
            {
                phases.Add(EmbeddingsIndex);
            }
        }

        if (targets.Contains("fulltext"))
        {
            phases.Add(wholeDatabase ? FullTextIndex : FullText);
        }

        return phases;
    }
}
