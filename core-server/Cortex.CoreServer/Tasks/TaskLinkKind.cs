namespace Cortex.CoreServer.Tasks;

/// <summary>The kinds of item a task may be linked to; the item must live in the task's subcortex.</summary>
internal static class TaskLinkKind
{
    public const string Thread = "thread";
    public const string Draft = "draft";
    public const string Artifact = "artifact";

    public static readonly string[] All = [Thread, Draft, Artifact];

    /// <summary>The table holding items of <paramref name="kind"/>; every one has a <c>subcortex_id</c>.</summary>
    public static string Table(string kind) => kind switch
    {
        Thread => "threads",
        Draft => "drafts",
        Artifact => "artifacts",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a task link kind."),
    };
}
