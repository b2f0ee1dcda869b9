using System.Globalization;
using Cortex.SharedModel.Ids;
using Cortex.SharedModel.Validation;

namespace Cortex.CoreServer.Tasks;

/// <summary><c>POST /api/v1/subcortexes/{slug}/tasks</c>. <see cref="DueAt"/> is ISO 8601 with an offset.</summary>
public sealed record CreateTaskRequest(
    string? Title, string? Description, string? AssigneeId, string? DueAt, string? LinkKind, string? LinkId)
{
    internal ValidationErrors Validate(out DateTimeOffset? dueAt)
    {
        var errors = new ValidationErrors();
        errors.RequireLine("title", Title, Rules.TitleMaxLength);
        if (Description is not null)
        {
            errors.RequireText("description", Description, Rules.BodyMaxLength, allowEmpty: true);
        }

        TaskFields.CheckAssignee(errors, AssigneeId, allowClear: false);
        dueAt = TaskFields.ParseDueAt(errors, DueAt, allowClear: false);
        if ((LinkKind is null) != (LinkId is null))
        {
            errors.Add(LinkKind is null ? "linkKind" : "linkId", "linkKind and linkId go together.");
        }
        else if (LinkKind is not null && !TaskLinkKind.All.Contains(LinkKind, StringComparer.Ordinal))
        {
            errors.Add("linkKind", $"Must be one of: {string.Join(", ", TaskLinkKind.All)}.");
        }
        else if (LinkId is not null && !CortexId.IsValid(LinkId))
        {
            errors.Add("linkId", "Must be an id.");
        }

        return errors;
    }
}

/// <summary>
/// <c>PATCH /api/v1/tasks/{id}</c> and the outbox mutation <c>task.update</c>: absent fields stay as they are; an empty
/// <see cref="AssigneeId"/> unassigns and an empty <see cref="DueAt"/> clears the due date.
/// </summary>
public sealed record UpdateTaskRequest(
    string? Title, string? Description, string? State, string? AssigneeId, string? DueAt, long? Version)
{
    internal ValidationErrors Validate(out TaskState? state, out DateTimeOffset? dueAt)
    {
        var errors = new ValidationErrors();
        if (Title is not null)
        {
            errors.RequireLine("title", Title, Rules.TitleMaxLength);
        }

        if (Description is not null)
        {
            errors.RequireText("description", Description, Rules.BodyMaxLength, allowEmpty: true);
        }

        state = errors.ParseEnum<TaskState>("state", State);
        TaskFields.CheckAssignee(errors, AssigneeId, allowClear: true);
        dueAt = TaskFields.ParseDueAt(errors, DueAt, allowClear: true);
        errors.RequireVersion("version", Version);
        return errors;
    }
}

internal static class TaskFields
{
    public static void CheckAssignee(ValidationErrors errors, string? assigneeId, bool allowClear)
    {
        if (assigneeId is not null && !(allowClear && assigneeId.Length == 0) && !CortexId.IsValid(assigneeId))
        {
            errors.Add("assigneeId", allowClear ? "Must be a principal id, or empty to unassign." : "Must be a principal id.");
        }
    }

    public static DateTimeOffset? ParseDueAt(ValidationErrors errors, string? dueAt, bool allowClear)
    {
        if (dueAt is null || (allowClear && dueAt.Length == 0))
        {
            return null;
        }

        if (DateTimeOffset.TryParseExact(dueAt, ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK"],
                CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed) && HasOffset(dueAt))
        {
            return parsed;
        }

        errors.Add("dueAt", allowClear
            ? "Must be an ISO 8601 date-time with an offset (e.g. 2026-12-01T17:00:00Z), or empty to clear."
            : "Must be an ISO 8601 date-time with an offset (e.g. 2026-12-01T17:00:00Z).");
        return null;
    }

    // "K" also accepts a missing offset, which would make the time mean whatever the server's zone is.
    private static bool HasOffset(string value) =>
        value.EndsWith('Z') || (value.Length > 6 && value[^6] is '+' or '-' && value[^3] == ':');
}
