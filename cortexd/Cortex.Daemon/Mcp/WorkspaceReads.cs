using System.Globalization;
using System.Text.Json;
using Cortex.Daemon.Search;
using Microsoft.Data.Sqlite;

namespace Cortex.Daemon.Mcp;

/// <summary>
/// The MCP read tools' queries over the replica file: they work with the daemon up or down and with the server
/// unreachable. The workspace's own queued writes show too, marked pending, from the search index's pending rows.
/// </summary>
internal sealed class WorkspaceReads(WorkspaceSearch search)
{
    public ThreadView? GetThread(string id)
    {
        using var connection = search.Open();
        PendingWriteIndex.Reconcile(connection);
        var slugs = Subcortexes.SlugsById(connection);
        var comments = new List<CommentView>();
        foreach (var json in Jsons(connection, "SELECT json FROM comments WHERE thread_id = $id ORDER BY created_at, id", id))
        {
            comments.Add(new CommentView(Text(json, "id")!, Text(json, "body") ?? "", Text(json, "authorId"), Time(json, "createdAt"), false));
        }

        foreach (var pending in PendingRows(connection, "kind = 'comment' AND parent_id = $id", id))
        {
            comments.Add(new CommentView(pending.Id, pending.Body, null, pending.Updated, true));
        }

        if (Jsons(connection, "SELECT json FROM threads WHERE id = $id", id).FirstOrDefault() is { ValueKind: JsonValueKind.Object } thread)
        {
            return new ThreadView(id, "thread", Text(thread, "title") ?? "", Text(thread, "kind"), Slug(slugs, Text(thread, "subcortexId")), "reviewed",
                Text(thread, "body") ?? "", Text(thread, "authorId"), Time(thread, "createdAt"), Time(thread, "updatedAt"), false, comments);
        }

        return PendingRows(connection, "kind = 'thread' AND id = $id", id).FirstOrDefault() is { } local
            ? new ThreadView(id, "thread", local.Title, null, Slug(slugs, local.Subcortex), local.Trust, local.Body, null, local.Updated, local.Updated, true, comments)
            : null;
    }

    public ArtifactView? GetArtifact(string id, int? number)
    {
        using var connection = search.Open();
        var slugs = Subcortexes.SlugsById(connection);
        var artifact = Jsons(connection, "SELECT json FROM artifacts WHERE id = $id", id).FirstOrDefault();
        if (artifact.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var versions = Jsons(connection, "SELECT json FROM artifact_versions WHERE artifact_id = $id ORDER BY number", id)
            .Select(v => (Json: v, Number: Int(v, "number") ?? 0)).ToList();
        var canon = Int(artifact, "canonVersion");
        var chosen = number is { } wanted
            ? versions.FirstOrDefault(v => v.Number == wanted).Json
            : versions.FirstOrDefault(v => v.Number == canon).Json is { ValueKind: JsonValueKind.Object } canonJson ? canonJson : versions.LastOrDefault().Json;
        if (number is not null && chosen.ValueKind == JsonValueKind.Undefined)
        {
            return null;
        }

        var summaries = versions.Select(v => new VersionSummary(IdOf(v.Json, id), v.Number, Text(v.Json, "state") ?? "proposed", Time(v.Json, "createdAt"), false)).ToList();
        summaries.AddRange(PendingRows(connection, "kind = 'artifact' AND parent_id = $id", id)
            .Select(p => new VersionSummary(p.Id, 0, "proposed", p.Updated, true)));
        var state = chosen.ValueKind == JsonValueKind.Object ? Text(chosen, "state") : null;
        return new ArtifactView(id, "artifact", Text(artifact, "title") ?? "", Text(artifact, "kind"), Slug(slugs, Text(artifact, "subcortexId")),
            state == "canon" ? "canon" : state == "superseded" ? "reviewed" : "draft", canon,
            chosen.ValueKind == JsonValueKind.Object ? Int(chosen, "number") : null, state,
            chosen.ValueKind == JsonValueKind.Object ? Text(chosen, "body") ?? "" : "", Time(artifact, "updatedAt"), false, summaries);
    }

    public SubcortexList ListSubcortexes()
    {
        using var connection = search.Open();
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT subcortex, count(*) FROM search_item WHERE quarantined = 0 GROUP BY subcortex";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                counts[reader.GetString(0)] = reader.GetInt64(1);
            }
        }

        var list = Jsons(connection, "SELECT json FROM subcortexes WHERE $id IS NULL ORDER BY slug", null)
            .Select(s => new SubcortexView(Text(s, "id")!, Text(s, "slug") ?? "", Text(s, "name") ?? "", Text(s, "description"), Text(s, "state"),
                s.TryGetProperty("isPrivate", out var p) && p.ValueKind == JsonValueKind.True, counts.GetValueOrDefault(Text(s, "id")!)))
            .ToList();
        return new SubcortexList(list.Count, list);
    }

    public ActivityList RecentActivity(string? subcortex, DateTimeOffset? since, int limit)
    {
        using var connection = search.Open();
        PendingWriteIndex.Reconcile(connection);
        var slugs = Subcortexes.SlugsById(connection);
        var subcortexId = subcortex is null ? null : slugs.FirstOrDefault(p => p.Value == subcortex).Key ?? subcortex;
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT id, kind, title, trust, subcortex, updated, pending FROM search_item
            WHERE quarantined = 0 AND ($subcortex IS NULL OR subcortex = $subcortex) AND ($since IS NULL OR updated >= $since)
            ORDER BY updated DESC, id DESC LIMIT $limit
            """;
        command.Parameters.AddWithValue("$subcortex", (object?)subcortexId ?? DBNull.Value);
        command.Parameters.AddWithValue("$since", since is { } from ? from.ToUnixTimeMilliseconds() : DBNull.Value);
        command.Parameters.AddWithValue("$limit", limit);
        using var reader = command.ExecuteReader();
        var items = new List<ActivityItem>();
        while (reader.Read())
        {
            items.Add(new ActivityItem(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                Slug(slugs, reader.GetString(4)), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5)), reader.GetInt64(6) == 1));
        }

        return new ActivityList(items.Count, items);
    }

    public TaskList ListTasks(string? state, string? assigneeId)
    {
        using var connection = search.Open();
        var slugs = Subcortexes.SlugsById(connection);
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT json, version FROM tasks WHERE ($state IS NULL OR state = $state) AND ($assignee IS NULL OR assignee_id = $assignee)
            ORDER BY due_at IS NULL, due_at, id
            """;
        command.Parameters.AddWithValue("$state", (object?)state ?? DBNull.Value);
        command.Parameters.AddWithValue("$assignee", (object?)assigneeId ?? DBNull.Value);
        using var reader = command.ExecuteReader();
        var tasks = new List<TaskView>();
        while (reader.Read())
        {
            using var document = JsonDocument.Parse(reader.GetString(0));
            tasks.Add(ToTask(document.RootElement.Clone(), reader.GetInt64(1), slugs));
        }

        return new TaskList(tasks.Count, tasks);
    }

    public TaskView? GetTask(string id)
    {
        using var connection = search.Open();
        var slugs = Subcortexes.SlugsById(connection);
        return Jsons(connection, "SELECT json FROM tasks WHERE id = $id", id).FirstOrDefault() is { ValueKind: JsonValueKind.Object } task
            ? ToTask(task, Int(task, "version") ?? 0, slugs)
            : null;
    }

    /// <summary>The principal the replica syncs as, for "assigned to me".</summary>
    public string? PrincipalId()
    {
        using var connection = search.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT principal_id FROM sync_state WHERE id = 1";
        return command.ExecuteScalar() as string;
    }

    private static TaskView ToTask(JsonElement task, long version, Dictionary<string, string> slugs) => new(
        Text(task, "id")!, "task", Text(task, "title") ?? "", Text(task, "description"), Text(task, "state"), Text(task, "assigneeId"),
        Text(task, "dueAt"), Slug(slugs, Text(task, "subcortexId")), version, Time(task, "updatedAt"), false);

    private sealed record PendingRow(string Id, string Title, string Body, string Trust, string Subcortex, DateTimeOffset Updated);

    private static List<PendingRow> PendingRows(SqliteConnection connection, string where, string id)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT id, title, body, trust, subcortex, updated FROM search_item WHERE pending = 1 AND {where} ORDER BY id";
        command.Parameters.AddWithValue("$id", id);
        using var reader = command.ExecuteReader();
        var rows = new List<PendingRow>();
        while (reader.Read())
        {
            rows.Add(new PendingRow(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5))));
        }

        return rows;
    }

    private static List<JsonElement> Jsons(SqliteConnection connection, string sql, string? id)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$id", (object?)id ?? DBNull.Value);
        using var reader = command.ExecuteReader();
        var rows = new List<JsonElement>();
        while (reader.Read())
        {
            using var document = JsonDocument.Parse(reader.GetString(0));
            rows.Add(document.RootElement.Clone());
        }

        return rows;
    }

    private static string IdOf(JsonElement version, string artifactId) =>
        Text(version, "id") ?? $"{artifactId}:{(Int(version, "number") ?? 0).ToString(CultureInfo.InvariantCulture)}";

    private static string Slug(Dictionary<string, string> slugs, string? id) => id is null ? "" : slugs.GetValueOrDefault(id, id);

    private static string? Text(JsonElement json, string property) => SearchItemMapper.Text(json, property);

    private static int? Int(JsonElement json, string property) =>
        json.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) ? number : null;

    private static DateTimeOffset? Time(JsonElement json, string property) =>
        Text(json, property) is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time
            : null;
}
