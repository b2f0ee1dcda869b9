using Cortex.CoreServer.Content;
using Cortex.CoreServer.Database;
using Cortex.SharedModel.Ids;
using Cortex.SharedModel.Principals;
using Dapper;
using Npgsql;

namespace Cortex.CoreServer.Tasks;

/// <summary>SQL for tasks. Every write records who made it; an assignment also records its version (see 0600).</summary>
internal sealed class TaskStore(NpgsqlDataSource dataSource)
{
    public const string Columns =
        "t.id, t.subcortex_id, t.title, t.description, t.state, t.assignee_id, t.due_at, t.link_kind, t.link_id, " +
        "t.created_by, t.updated_by, t.version, t.created_at, t.updated_at, t.completed_at";

    /// <summary>The task with its subcortex's access facts for <paramref name="me"/>.</summary>
    public async Task<(CortexTask Task, ContentAccess Access)?> FindAsync(string id, string me, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<CortexTask, ContentAccess, (CortexTask, ContentAccess)>(
            new CommandDefinition(
                $"SELECT {Columns}, {ContentAccess.Sql} FROM tasks t JOIN subcortexes s ON s.id = t.subcortex_id WHERE t.id = @id",
                new { id, me },
                cancellationToken: cancellationToken),
            (task, access) => (task, access),
            splitOn: "is_private");
        return rows.Select(row => ((CortexTask, ContentAccess)?)row).SingleOrDefault();
    }

    /// <summary>Newest first, only in subcortexes <paramref name="reader"/> may read.</summary>
    public async Task<List<CortexTask>> ListAsync(Principal reader, TaskFilter filter, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<CortexTask>(new CommandDefinition(
            $"""
            SELECT {Columns} FROM tasks t JOIN subcortexes s ON s.id = t.subcortex_id
            WHERE (@isAdmin OR NOT s.is_private
                   OR EXISTS (SELECT 1 FROM subcortex_members m WHERE m.subcortex_id = s.id AND m.principal_id = @me))
              AND (@assigneeId::text IS NULL OR t.assignee_id = @assigneeId)
              AND (@states::text[] IS NULL OR t.state = ANY(@states))
              AND (@subcortexId::text IS NULL OR t.subcortex_id = @subcortexId)
              AND (@dueBefore::timestamptz IS NULL OR t.due_at < @dueBefore)
              AND (@beforeId::text IS NULL OR t.id < @beforeId)
            ORDER BY t.id DESC LIMIT @limit
            """,
            new
            {
                me = reader.Id,
                isAdmin = reader.Role == Role.Admin,
                assigneeId = filter.AssigneeId,
                states = filter.States,
                subcortexId = filter.SubcortexId,
                dueBefore = filter.DueBefore?.ToUniversalTime(),
                beforeId = filter.BeforeId,
                limit,
            },
            cancellationToken: cancellationToken));
        return rows.AsList();
    }

    /// <summary>Whether the linked item exists in <paramref name="subcortexId"/>.</summary>
    public static async Task<bool> LinkExistsAsync(
        WriteSession session, string kind, string id, string subcortexId, CancellationToken cancellationToken = default)
    {
        await session.BeginAsync(cancellationToken);
        return await session.Connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            $"SELECT EXISTS (SELECT 1 FROM {TaskLinkKind.Table(kind)} WHERE id = @id AND subcortex_id = @subcortexId)",
            new { id, subcortexId },
            session.Transaction,
            cancellationToken: cancellationToken));
    }

    public static async Task<CortexTask> InsertAsync(
        WriteSession session, NewTask task, string me, CancellationToken cancellationToken = default)
    {
        await session.BeginAsync(cancellationToken);
        return await session.Connection.QuerySingleAsync<CortexTask>(new CommandDefinition(
            $"""
            INSERT INTO tasks AS t (id, subcortex_id, title, description, assignee_id, assigned_by, assigned_version, due_at,
                                    link_kind, link_id, created_by, updated_by)
            VALUES (@id, @subcortexId, @title, @description, @assigneeId,
                    CASE WHEN @assigneeId::text IS NULL THEN NULL ELSE @me END,
                    CASE WHEN @assigneeId::text IS NULL THEN NULL ELSE 1 END,
                    @dueAt, @linkKind, @linkId, @me, @me)
            RETURNING {Columns}
            """,
            new
            {
                id = CortexId.New(),
                task.SubcortexId,
                task.Title,
                task.Description,
                task.AssigneeId,
                dueAt = task.DueAt?.ToUniversalTime(),
                task.LinkKind,
                task.LinkId,
                me,
            },
            session.Transaction,
            cancellationToken: cancellationToken));
    }

    /// <summary>Applies <paramref name="change"/> if the task is still at <paramref name="expectedVersion"/>; null otherwise.</summary>
    public static async Task<CortexTask?> UpdateAsync(
        WriteSession session, string id, long expectedVersion, TaskChange change, string me, CancellationToken cancellationToken = default)
    {
        await session.BeginAsync(cancellationToken);
        // SET expressions see the row as it was, so "assignee changed" compares against the old assignee.
        return await session.Connection.QuerySingleOrDefaultAsync<CortexTask>(new CommandDefinition(
            $"""
            UPDATE tasks AS t SET
                title = coalesce(@title, title),
                description = coalesce(@description, description),
                state = coalesce(@state, state),
                assignee_id = CASE WHEN @setAssignee THEN @assigneeId ELSE assignee_id END,
                assigned_by = CASE WHEN NOT @setAssignee OR @assigneeId::text IS NOT DISTINCT FROM assignee_id THEN assigned_by
                                   WHEN @assigneeId::text IS NULL THEN NULL ELSE @me END,
                assigned_version = CASE WHEN NOT @setAssignee OR @assigneeId::text IS NOT DISTINCT FROM assignee_id THEN assigned_version
                                        WHEN @assigneeId::text IS NULL THEN NULL ELSE version + 1 END,
                due_at = CASE WHEN @setDueAt THEN @dueAt::timestamptz ELSE due_at END,
                completed_at = CASE WHEN @state::text IS NULL THEN completed_at
                                    WHEN @state = 'done' THEN coalesce(completed_at, now()) ELSE NULL END,
                updated_by = @me, version = version + 1, updated_at = now()
            WHERE id = @id AND version = @expectedVersion
            RETURNING {Columns}
            """,
            new
            {
                id,
                expectedVersion,
                change.Title,
                change.Description,
                state = SqlNames.Of(change.State),
                setAssignee = change.SetAssignee,
                change.AssigneeId,
                setDueAt = change.SetDueAt,
                dueAt = change.DueAt?.ToUniversalTime(),
                me,
            },
            session.Transaction,
            cancellationToken: cancellationToken));
    }
}

internal sealed record NewTask(
    string SubcortexId, string Title, string Description, string? AssigneeId, DateTimeOffset? DueAt, string? LinkKind, string? LinkId);

/// <summary>An update's fields; <see cref="SetAssignee"/> and <see cref="SetDueAt"/> distinguish "clear" from "keep".</summary>
internal sealed record TaskChange(
    string? Title, string? Description, TaskState? State, bool SetAssignee, string? AssigneeId, bool SetDueAt, DateTimeOffset? DueAt);
