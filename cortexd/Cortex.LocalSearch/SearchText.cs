namespace Cortex.LocalSearch;

/// <summary>Maps the enums to the lower-case words stored in the replica and back.</summary>
public static class SearchText
{
    public static string ToText(this SearchItemKind kind) => kind switch
    {
        SearchItemKind.Thread => "thread",
        SearchItemKind.Comment => "comment",
        SearchItemKind.Observation => "observation",
        SearchItemKind.Artifact => "artifact",
        SearchItemKind.Draft => "draft",
        SearchItemKind.Task => "task",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown item kind."),
    };

    public static string ToText(this TrustLevel trust) => trust switch
    {
        TrustLevel.Canon => "canon",
        TrustLevel.Accepted => "accepted",
        TrustLevel.Reviewed => "reviewed",
        TrustLevel.Comment => "comment",
        TrustLevel.Observation => "observation",
        TrustLevel.Draft => "draft",
        _ => throw new ArgumentOutOfRangeException(nameof(trust), trust, "Unknown trust level."),
    };

    public static SearchItemKind ParseKind(string text) => text switch
    {
        "thread" => SearchItemKind.Thread,
        "comment" => SearchItemKind.Comment,
        "observation" => SearchItemKind.Observation,
        "artifact" => SearchItemKind.Artifact,
        "draft" => SearchItemKind.Draft,
        "task" => SearchItemKind.Task,
        _ => throw new FormatException($"'{text}' is not a search item kind."),
    };

    public static TrustLevel ParseTrust(string text) => text switch
    {
        "canon" => TrustLevel.Canon,
        "accepted" => TrustLevel.Accepted,
        "reviewed" => TrustLevel.Reviewed,
        "comment" => TrustLevel.Comment,
        "observation" => TrustLevel.Observation,
        "draft" => TrustLevel.Draft,
        _ => throw new FormatException($"'{text}' is not a trust level."),
    };
}
