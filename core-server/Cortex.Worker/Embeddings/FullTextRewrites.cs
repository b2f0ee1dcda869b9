namespace Cortex.Worker.Embeddings;

/// <summary>
/// Rebuilding one subcortex's full-text entries: rewriting a row recomputes its generated <c>search</c> column (after
/// a dictionary or configuration change) and its GIN index entries, without touching its version or text. Each
/// statement rewrites the next <c>@limit</c> rows after <c>@after</c> and returns their ids.
/// </summary>
internal static class FullTextRewrites
{
    public static readonly IReadOnlyList<string> Tables = ["threads", "comments", "observations", "artifact_versions"];

    public static string ChunkSql(string table) => table switch
    {
        "threads" => """
            UPDATE threads SET body = body WHERE id IN (
                SELECT id FROM threads WHERE subcortex_id = @subcortexId AND id > @after ORDER BY id LIMIT @limit)
            RETURNING id
            """,
        "comments" => """
            UPDATE comments SET body = body WHERE id IN (
                SELECT c.id FROM comments c JOIN threads t ON t.id = c.thread_id
                WHERE t.subcortex_id = @subcortexId AND c.id > @after ORDER BY c.id LIMIT @limit)
            RETURNING id
            """,
        "observations" => """
            UPDATE observations SET body = body WHERE id IN (
                SELECT id FROM observations WHERE subcortex_id = @subcortexId AND id > @after ORDER BY id LIMIT @limit)
            RETURNING id
            """,
        "artifact_versions" => """
            UPDATE artifact_versions SET body = body WHERE state = 'canon' AND artifact_id IN (
                SELECT a.id FROM artifacts a WHERE a.subcortex_id = @subcortexId AND a.id > @after AND a.canon_version IS NOT NULL
                ORDER BY a.id LIMIT @limit)
            RETURNING artifact_id
            """,
        _ => throw new ArgumentOutOfRangeException(nameof(table), table, "Not a searchable table."),
    };

    public const string CountSql = """
        SELECT (SELECT count(*) FROM threads WHERE subcortex_id = @subcortexId)
             + (SELECT count(*) FROM comments c JOIN threads t ON t.id = c.thread_id WHERE t.subcortex_id = @subcortexId)
             + (SELECT count(*) FROM observations WHERE subcortex_id = @subcortexId)
             + (SELECT count(*) FROM artifacts WHERE subcortex_id = @subcortexId AND canon_version IS NOT NULL)
        """;
}
