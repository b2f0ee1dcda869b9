namespace Cortex.CoreServer.Audit;

internal static class AuditOutcome
{
    public const string Succeeded = "succeeded";
    public const string Denied = "denied";
    public const string Unauthenticated = "unauthenticated";
}

/// <summary>One audit event to append.</summary>
internal sealed record AuditEntry(
    string Action,
    string Outcome,
    Actor Actor,
    string? TargetKind = null,
    string? TargetId = null,
    string? Detail = null);

/// <summary>Who did something, and from where. Principal and key are null for failed authentication and commands.</summary>
internal sealed record Actor(string? PrincipalId, string? KeyId, string? Method, string? Path, string? RemoteIp)
{
    public static Actor Command(string name) => new(null, null, null, name, null);
}

/// <summary>An audit event as read back by admins.</summary>
public sealed record AuditEvent
{
    public required long Id { get; init; }
    public required DateTimeOffset At { get; init; }
    public string? PrincipalId { get; init; }
    public string? KeyId { get; init; }
    public required string Action { get; init; }
    public required string Outcome { get; init; }
    public string? TargetKind { get; init; }
    public string? TargetId { get; init; }
    public string? Method { get; init; }
    public string? Path { get; init; }
    public string? RemoteIp { get; init; }
    public string? Detail { get; init; }
}
