using Cortex.CoreServer.Audit;
using Cortex.CoreServer.Database;
using Cortex.CoreServer.Drafts;
using Cortex.CoreServer.Errors;
using Cortex.SharedModel.Content;
using Cortex.SharedModel.Feed;
using Dapper;

namespace Cortex.CoreServer.Content;

/// <summary>
/// A thread draft that names its thread is a proposed edit (<see cref="ContentWriter.UpdateThreadAsync"/>); approving it
/// replaces the thread's title, kind and body with the draft's. An edit proposed before the thread last changed is
/// refused rather than applied over the newer text: the reviewer rejects it and the author proposes again.
/// </summary>
internal static class ThreadEditDrafts
{
    public static bool IsEdit(Draft draft) => draft.Kind == DraftKind.Thread && draft.ThreadId is not null;

    /// <returns>The thread's id, the draft's materialized id.</returns>
    public static async Task<string> ApplyAsync(WriteSession session, Draft draft, string bodyHtml, Actor actor, CancellationToken cancellationToken = default)
    {
        await session.BeginAsync(cancellationToken);
        var current = await session.Connection.QuerySingleOrDefaultAsync<(long Version, DateTimeOffset UpdatedAt)?>(new CommandDefinition(
            "SELECT version, updated_at FROM threads WHERE id = @id FOR UPDATE",
            new { id = draft.ThreadId },
            session.Transaction,
            cancellationToken: cancellationToken)) ?? throw CortexException.NotFound("The draft's thread");
        if (current.UpdatedAt > draft.CreatedAt)
        {
            throw new CortexException(
                ProblemKind.VersionConflict,
                $"The thread changed (now version {current.Version}) after this edit was proposed; reject the draft and propose the edit again.");
        }

        var kind = Enum.Parse<ThreadKind>(draft.ThreadKind!, ignoreCase: true);
        var updated = await ThreadStore.UpdateAsync(session, draft.ThreadId!, current.Version, draft.Title, kind, draft.Body, bodyHtml, cancellationToken)
            ?? throw new InvalidOperationException($"Thread {draft.ThreadId} changed while locked.");
        ContentWriter.Record(session, actor, "thread.update", ContentWriter.Change(updated, ChangeOperation.Updated));
        return updated.Id;
    }
}
