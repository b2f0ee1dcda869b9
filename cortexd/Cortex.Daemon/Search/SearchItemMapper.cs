using System.Globalization;
using System.Text.Json;
using Cortex.LocalSearch;
using Cortex.Replica;

namespace Cortex.Daemon.Search;

/// <summary>
/// Turns a replica row (the REST API's JSON of the entity) into the search index's row. Trust follows review:
/// a canon artifact version is canon, a thread has passed the draft gate (reviewed), comments and observations are
/// what they are, a proposed version or pending draft is a draft. Titles a row lacks come from its parent in the
/// same transaction (a comment takes its thread's title, a version its artifact's).
/// </summary>
internal static class SearchItemMapper
{
    /// <returns>The row to index, or null when the item must not be in the index (a decided draft, say).</returns>
    public static SearchItem? Map(ReplicaItem item, JsonElement json, ParentTitles parents)
    {
        var subcortex = item.SubcortexId ?? Text(json, "subcortexId") ?? "";
        var quarantined = Flag(json, "quarantined") || Text(json, "state") == "quarantined";
        switch (item.Entity)
        {
            case "thread":
                return new SearchItem(item.Id, SearchItemKind.Thread, subcortex, Text(json, "title") ?? "(untitled)", Text(json, "body") ?? "",
                    TrustLevel.Reviewed, Time(json, "updatedAt", "createdAt"), Vector(item), Quarantined: quarantined);
            case "comment":
                var threadId = Text(json, "threadId");
                return new SearchItem(item.Id, SearchItemKind.Comment, subcortex, parents.Of("threads", threadId) ?? "Comment",
                    Text(json, "body") ?? "", TrustLevel.Comment, Time(json, "updatedAt", "createdAt"), Vector(item), threadId, Quarantined: quarantined);
            case "observation":
                var text = Text(json, "text") ?? "";
                return new SearchItem(item.Id, SearchItemKind.Observation, subcortex, ObservationTitle(Text(json, "kind"), text), text,
                    TrustLevel.Observation, Time(json, "createdAt", "occurredAt"), Vector(item), Quarantined: quarantined);
            case "draft":
                return Text(json, "state") is null or "pending" ? MapDraft(item, json, subcortex, parents, quarantined) : null;
            case "artifactVersion":
                var artifactId = Text(json, "artifactId");
                var state = Text(json, "state");
                return new SearchItem(item.Id, SearchItemKind.Artifact, subcortex, parents.Of("artifacts", artifactId) ?? "Artifact",
                    Text(json, "body") ?? "", state switch { "canon" => TrustLevel.Canon, "superseded" => TrustLevel.Reviewed, _ => TrustLevel.Draft },
                    Time(json, "acceptedAt", "createdAt"), Vector(item), artifactId, Stale: state == "superseded", Quarantined: quarantined);
            case "task":
                return new SearchItem(item.Id, SearchItemKind.Task, subcortex, Text(json, "title") ?? "(untitled task)",
                    Text(json, "description") ?? Text(json, "body") ?? "", TrustLevel.Comment, Time(json, "updatedAt", "createdAt"), Vector(item),
                    Quarantined: quarantined);
            default:
                return null;
        }
    }

    public static string ObservationTitle(string? kind, string text)
    {
        var firstLine = text.AsSpan().Trim();
        var end = firstLine.IndexOfAny('\r', '\n');
        var line = (end < 0 ? firstLine : firstLine[..end]).ToString();
        if (line.Length > 80)
        {
            line = line[..77] + "...";
        }

        return string.IsNullOrEmpty(kind) ? line : $"{kind}: {line}";
    }

    private static SearchItem MapDraft(ReplicaItem item, JsonElement json, string subcortex, ParentTitles parents, bool quarantined)
    {
        var threadId = Text(json, "threadId");
        var artifactId = Text(json, "artifactId");
        var title = Text(json, "title")
            ?? parents.Of("threads", threadId)
            ?? parents.Of("artifacts", artifactId)
            ?? "Draft";
        return new SearchItem(item.Id, SearchItemKind.Draft, subcortex, title, Text(json, "body") ?? "", TrustLevel.Draft,
            Time(json, "updatedAt", "createdAt"), Vector(item), threadId ?? artifactId, Quarantined: quarantined);
    }

    internal static string? Text(JsonElement json, string property) =>
        json.ValueKind == JsonValueKind.Object && json.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    // A vector of another model's size would fail the index's check and with it the whole batch: keyword-only instead.
    private static float[]? Vector(ReplicaItem item) => item.Embedding is { Length: Cortex.Embeddings.MiniLmEmbedder.VectorDimensions } vector ? vector : null;

    private static bool Flag(JsonElement json, string property) =>
        json.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.True;

    private static DateTimeOffset Time(JsonElement json, params string[] properties)
    {
        foreach (var property in properties)
        {
            if (Text(json, property) is { } text
                && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
            {
                return time;
            }
        }

        return DateTimeOffset.UnixEpoch;
    }
}
