namespace Cortex.CoreServer.Tasks;

/// <summary>
/// Any state may follow any other: a team's tracker should not argue with its users. <see cref="Done"/> and
/// <see cref="Cancelled"/> are closed (no due-soon reminders); reopening clears <c>completedAt</c>.
/// </summary>
public enum TaskState
{
    Open,
    InProgress,
    Blocked,
    Done,
    Cancelled,
}
