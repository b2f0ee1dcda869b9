namespace Cortex.Worker.Embeddings;

/// <summary>
/// Where each searchable entity's text comes from, and which row version it has. The text recipe is the replica's
/// (title, blank line, body), so a vector computed here ranks like one the daemon computes for its own writes.
/// </summary>
internal static class EmbeddingSources
{
    /// <summary>Long bodies are cut before tokenizing: the model reads 256 word pieces at most.</summary>
    public const int MaxChars = 4000;

    /// <summary>The searchable entities, in the order a reindex walks them.</summary>
    public static readonly IReadOnlyList<string> Ordered = ["thread", "comment", "observation", "artifact"];

    public static readonly IReadOnlySet<string> Entities = new HashSet<string>(Ordered, StringComparer.Ordinal);

    /// <summary>The items of <c>@ids</c> whose stored vector is missing, older than the item, or from another model.</summary>
    public static string PendingSql(string entity) => $"""
        SELECT s.id, s.version, s.subcortex_id AS subcortexid, left(s.text, @maxChars) AS text
        FROM ({Source(entity)}) s
        LEFT JOIN embeddings e ON e.entity = '{entity}' AND e.entity_id = s.id
        WHERE s.id = ANY(@ids) AND (e.entity_id IS NULL OR e.version < s.version OR e.model <> @model)
        ORDER BY s.id
        """;

    /// <summary>The next <c>@limit</c> items after <c>@after</c> (by id), of one subcortex (<c>@subcortexId</c>) or all.</summary>
    public static string ScopeSql(string entity) => $"""
        SELECT s.id, s.version, s.subcortex_id AS subcortexid, left(s.text, @maxChars) AS text
        FROM ({Source(entity)}) s
        WHERE s.id > @after AND (@subcortexId::text IS NULL OR s.subcortex_id = @subcortexId)
        ORDER BY s.id
        LIMIT @limit
        """;

    /// <summary>How many items of all entities a reindex of <c>@subcortexId</c> (or all) covers.</summary>
    public static string CountSql() => string.Join(" + ", Ordered.Select(entity =>
        $"(SELECT count(*) FROM ({Source(entity)}) s WHERE @subcortexId::text IS NULL OR s.subcortex_id = @subcortexId)"))
        .Insert(0, "SELECT ");

    private static string Source(string entity) => entity switch
    {
        "thread" => "SELECT t.id, t.version, t.subcortex_id, t.title || E'\\n\\n' || t.body AS text FROM threads t",
        "comment" => "SELECT c.id, c.version, t.subcortex_id, c.body AS text FROM comments c JOIN threads t ON t.id = c.thread_id",
        "observation" => "SELECT o.id, o.version, o.subcortex_id, o.kind || E'\\n\\n' || o.body AS text FROM observations o",
        "artifact" => """
            SELECT a.id, a.version, a.subcortex_id, a.title || E'\n\n' || v.body AS text
            FROM artifacts a JOIN artifact_versions v ON v.artifact_id = a.id AND v.state = 'canon'
            """,
        _ => throw new ArgumentOutOfRangeException(nameof(entity), entity, "Not a searchable entity."),
    };
}
