namespace Cortex.Replica;

/// <summary>The synced entities and their tables. Feed entity names match <c>Cortex.SharedModel.Feed.EntityNames</c>;
/// entities not listed here (e.g. ones a newer server adds) land in <c>other_entities</c>, so the cursor can always move.</summary>
public static class EntityTables
{
    public static IReadOnlyList<EntityTable> All { get; } =
    [
        new("principal", "principals", false,
            [new("handle", "$.handle"), new("display_name", "$.displayName"), new("kind", "$.kind"), new("role", "$.role"), new("disabled", "$.disabled")]),
        new("subcortex", "subcortexes", false,
            [new("slug", "$.slug", Indexed: true), new("name", "$.name"), new("state", "$.state"), new("is_private", "$.isPrivate"), new("merged_into_id", "$.mergedIntoId")]),
        new("thread", "threads", true,
            [new("title", "$.title"), new("kind", "$.kind"), new("author_id", "$.authorId"), new("created_at", "$.createdAt"), new("updated_at", "$.updatedAt", Indexed: true)]),
        new("comment", "comments", true,
            [new("thread_id", "$.threadId", Indexed: true), new("author_id", "$.authorId"), new("created_at", "$.createdAt")]),
        new("observation", "observations", true,
            [new("kind", "$.kind"), new("author_id", "$.authorId"), new("created_at", "$.createdAt", Indexed: true)]),
        new("draft", "drafts", true,
            [new("kind", "$.kind"), new("state", "$.state"), new("author_id", "$.authorId"), new("target_id", "$.targetId"), new("created_at", "$.createdAt")]),
        new("artifact", "artifacts", true,
            [new("title", "$.title"), new("kind", "$.kind"), new("canon_version", "$.canonVersion"), new("updated_at", "$.updatedAt")]),
        new("artifactVersion", "artifact_versions", true,
            [new("artifact_id", "$.artifactId", Indexed: true), new("number", "$.number"), new("state", "$.state"), new("author_id", "$.authorId"), new("created_at", "$.createdAt")]),
        new("task", "tasks", true,
            [new("title", "$.title"), new("state", "$.state"), new("assignee_id", "$.assigneeId", Indexed: true), new("due_at", "$.dueAt")]),
        new("notification", "notifications", false,
            [new("principal_id", "$.principalId"), new("kind", "$.kind"), new("read_at", "$.readAt"), new("created_at", "$.createdAt", Indexed: true)]),
    ];

    private static readonly Dictionary<string, EntityTable> ByEntity = All.ToDictionary(t => t.Entity, StringComparer.Ordinal);

    public static EntityTable? Find(string entity) => ByEntity.GetValueOrDefault(entity);

    /// <summary>Whether items of the entity belong in the search index; unknown entities are not searchable.</summary>
    public static bool IsSearchable(string entity) => Find(entity)?.Searchable ?? false;
}
