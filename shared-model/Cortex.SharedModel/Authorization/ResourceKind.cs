namespace Cortex.SharedModel.Authorization;

public enum ResourceKind
{
    System,
    Principal,
    ApiKey,
    Subcortex,
    Thread,
    Comment,
    Draft,
    AuditLog,
    Observation,
    Attachment,
    Artifact,
    Task,
}
