using Cortex.CoreServer.Database;
using Cortex.CoreServer.Errors;
using Cortex.CoreServer.Feed;
using Cortex.SharedModel.Content;
using Cortex.SharedModel.Feed;
using Dapper;

namespace Cortex.CoreServer.Content;

/// <summary>How much content a merge moved, by kind.</summary>
public sealed record MergedContent(int Threads, int Artifacts, int Observations, int Tasks, int Drafts, int Attachments);

/// <summary>
/// Moves everything of one subcortex into another in the writing transaction and marks the source merged, so that its
/// slug resolves to the target from then on. Every moved item gets a new version and a feed row under the target, so
/// replicas move it too; comments and artifact versions follow their thread or artifact and need no row of their own.
/// Embeddings, notifications and quarantines move without feed rows (they ride on their items' rows).
/// </summary>
internal static class SubcortexMerge
{
    private const string TaskEntity = "task";

    public static async Task<(Subcortex Source, MergedContent Moved)> MergeAsync(
        WriteSession session, Subcortex source, Subcortex target, CancellationToken cancellationToken = default)
    {
        await session.BeginAsync(cancellationToken);
        var connection = session.Connection;
        var transaction = session.Transaction;
        var args = new { source = source.Id, target = target.Id };

        // Lock both in id order (two opposite merges cannot deadlock) and re-check under the lock.
        var locked = (await connection.QueryAsync<(string Id, string State)>(new CommandDefinition(
            "SELECT id, state FROM subcortexes WHERE id IN (@source, @target) ORDER BY id FOR UPDATE",
            args, transaction, cancellationToken: cancellationToken))).AsList();
        if (locked.Count != 2 || locked.Any(row => row.State == SqlNames.Of(SubcortexState.Merged)))
        {
            throw CortexException.Conflict("One of the two subcortexes was merged meanwhile; reload and try again.");
        }

        var threads = await MoveAsync(session, "threads", args, cancellationToken);
        var artifacts = await MoveAsync(session, "artifacts", args, cancellationToken);
        var observations = await MoveAsync(session, "observations", args, cancellationToken);
        var tasks = await MoveAsync(session, "tasks", args, cancellationToken);
        var attachments = await MoveAsync(session, "attachments", args, cancellationToken);
        var drafts = (await connection.QueryAsync<(string Id, long Version, string AuthorId)>(new CommandDefinition(
            "UPDATE drafts SET subcortex_id = @target, version = version + 1, updated_at = now() WHERE subcortex_id = @source RETURNING id, version, author_id",
            args, transaction, cancellationToken: cancellationToken))).AsList();
        await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE embeddings SET subcortex_id = @target WHERE subcortex_id = @source;
            UPDATE notifications SET subcortex_id = @target WHERE subcortex_id = @source;
            UPDATE quarantines SET subcortex_id = @target WHERE subcortex_id = @source;
            """,
            args, transaction, cancellationToken: cancellationToken));
        var merged = await connection.QuerySingleAsync<Subcortex>(new CommandDefinition(
            $"""
            UPDATE subcortexes AS s SET state = 'merged', merged_into_id = @target, version = version + 1, updated_at = now()
            WHERE id = @source
            RETURNING {SubcortexStore.Columns}
            """,
            args, transaction, cancellationToken: cancellationToken));

        Record(session, EntityNames.Thread, threads, target.Id);
        Record(session, EntityNames.Artifact, artifacts, target.Id);
        Record(session, EntityNames.Observation, observations, target.Id);
        Record(session, TaskEntity, tasks, target.Id);
        Record(session, EntityNames.Attachment, attachments, target.Id);
        foreach (var (id, version, authorId) in drafts)
        {
            session.Record(new PendingChange(EntityNames.Draft, id, ChangeOperation.Updated, version, PrincipalId: authorId));
        }

        session.Record(new PendingChange(EntityNames.Subcortex, merged.Id, ChangeOperation.Updated, merged.Version, SubcortexId: merged.Id));
        return (merged, new MergedContent(threads.Count, artifacts.Count, observations.Count, tasks.Count, drafts.Count, attachments.Count));
    }

    private static async Task<List<(string Id, long Version)>> MoveAsync(
        WriteSession session, string table, object args, CancellationToken cancellationToken) =>
        (await session.Connection.QueryAsync<(string Id, long Version)>(new CommandDefinition(
            $"UPDATE {table} SET subcortex_id = @target, version = version + 1 WHERE subcortex_id = @source RETURNING id, version",
            args, session.Transaction, cancellationToken: cancellationToken))).AsList();

    private static void Record(WriteSession session, string entity, List<(string Id, long Version)> moved, string targetId)
    {
        foreach (var (id, version) in moved)
        {
            session.Record(new PendingChange(entity, id, ChangeOperation.Updated, version, SubcortexId: targetId));
        }
    }
}
