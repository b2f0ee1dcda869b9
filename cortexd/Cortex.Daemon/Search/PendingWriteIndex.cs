using System.Text.Json;
using Cortex.Embeddings;
using Cortex.LocalSearch;
using Cortex.SyncProtocol;
using Microsoft.Data.Sqlite;

namespace Cortex.Daemon.Search;

/// <summary>
/// Makes the workspace's own queued writes searchable at once, marked pending, under their client id. A pending row
/// lives until its write is decided and visible in the replica (or rejected); <see cref="Reconcile"/> drops the rest
/// before each search, reading the outbox in the same file.
/// </summary>
internal static class PendingWriteIndex
{
    private const string LiveWrites = """
        SELECT client_id FROM outbox
        WHERE state IN ('pending', 'sent')
           OR (state IN ('accepted', 'draft') AND visible_at > (SELECT cursor FROM sync_state))
        """;

    /// <summary>Indexes a queued write; kinds that add no searchable text (task updates) are skipped. A null embedder
    /// leaves it keyword-only (the stop hook, which must be quick).</summary>
    public static void Index(SqliteConnection connection, string clientId, string kind, string? targetId, JsonElement payload, ITextEmbedder? embedder)
    {
        var draft = Describe(connection, kind, targetId, payload);
        if (draft is null)
        {
            return;
        }

        var vector = embedder?.Embed(draft.Title + "\n\n" + draft.Body);
        using var transaction = connection.BeginTransaction();
        SearchIndex.Upsert(transaction, new SearchItem(clientId, draft.Kind, draft.SubcortexId, draft.Title, draft.Body, draft.Trust,
            DateTimeOffset.UtcNow, vector, draft.ParentId, Pending: true));
        transaction.Commit();
    }

    /// <summary>Removes pending rows whose write is now visible through the replica, or was rejected.</summary>
    public static void Reconcile(SqliteConnection connection)
    {
        var stale = new List<string>();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = $"SELECT id FROM search_item WHERE pending = 1 AND id NOT IN ({LiveWrites})";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                stale.Add(reader.GetString(0));
            }
        }

        if (stale.Count == 0)
        {
            return;
        }

        using var transaction = connection.BeginTransaction();
        foreach (var id in stale)
        {
            SearchIndex.Delete(transaction, id);
        }

        transaction.Commit();
    }

    private sealed record PendingText(SearchItemKind Kind, string SubcortexId, string Title, string Body, TrustLevel Trust, string? ParentId);

    private static PendingText? Describe(SqliteConnection connection, string kind, string? targetId, JsonElement payload)
    {
        string? Text(string property) => SearchItemMapper.Text(payload, property);
        switch (kind)
        {
            case MutationKinds.CreateThread:
                return new PendingText(SearchItemKind.Thread, SubcortexBySlug(connection, targetId), Text("title") ?? "(untitled)", Text("body") ?? "",
                    TrustLevel.Reviewed, null);
            case MutationKinds.CreateComment:
                var thread = Row(connection, "SELECT subcortex_id, title FROM threads WHERE id = $id", targetId);
                return new PendingText(SearchItemKind.Comment, thread?.Subcortex ?? "", thread?.Title ?? "Comment", Text("body") ?? "",
                    TrustLevel.Comment, targetId);
            case MutationKinds.CreateObservation:
                var text = Text("text") ?? "";
                return new PendingText(SearchItemKind.Observation, SubcortexBySlug(connection, targetId),
                    SearchItemMapper.ObservationTitle(Text("kind"), text), text, TrustLevel.Observation, null);
            case MutationKinds.CreateDraft:
                var parentId = Text("threadId") ?? Text("artifactId");
                var parentTitle = Row(connection, "SELECT subcortex_id, title FROM threads WHERE id = $id UNION ALL SELECT subcortex_id, title FROM artifacts WHERE id = $id", parentId);
                return new PendingText(SearchItemKind.Draft, SubcortexBySlug(connection, targetId), Text("title") ?? parentTitle?.Title ?? "Draft",
                    Text("body") ?? "", TrustLevel.Draft, parentId);
            case MutationKinds.CreateArtifactVersion:
                var artifact = Row(connection, "SELECT subcortex_id, title FROM artifacts WHERE id = $id", targetId);
                return new PendingText(SearchItemKind.Artifact, artifact?.Subcortex ?? "", artifact?.Title ?? "Artifact", Text("body") ?? "",
                    TrustLevel.Draft, targetId);
            default:
                return null;
        }
    }

    private static string SubcortexBySlug(SqliteConnection connection, string? slug) =>
        Row(connection, "SELECT id, slug FROM subcortexes WHERE slug = $id", slug)?.Subcortex ?? slug ?? "";

    private static (string Subcortex, string? Title)? Row(SqliteConnection connection, string sql, string? id)
    {
        if (id is null)
        {
            return null;
        }

        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$id", id);
        using var reader = command.ExecuteReader();
        return reader.Read() && !reader.IsDBNull(0) ? (reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1)) : null;
    }
}
