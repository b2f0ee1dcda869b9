namespace Cortex.CoreServer.Tasks;

/// <summary>The filters of <c>GET /api/v1/tasks</c>, resolved to ids; null means "any".</summary>
internal sealed record TaskFilter(string? AssigneeId, string[]? States, string? SubcortexId, DateTimeOffset? DueBefore, string? BeforeId);
