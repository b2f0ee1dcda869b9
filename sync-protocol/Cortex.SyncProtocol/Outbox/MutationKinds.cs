namespace Cortex.SyncProtocol;

/// <summary>The mutation kinds a replica may upload. Strings, so a new kind is a compatible addition.</summary>
public static class MutationKinds
{
    public const string CreateThread = "thread.create";
    public const string UpdateThread = "thread.update";
    public const string CreateComment = "comment.create";
    public const string CreateObservation = "observation.create";
    public const string CreateDraft = "draft.create";
    public const string CreateArtifactVersion = "artifactVersion.create";
    public const string UpdateTask = "task.update";
    public const string MarkNotificationRead = "notification.read";
    /// <summary>A Yjs update to a document body made offline; the payload is the raw update bytes.</summary>
    public const string DocumentUpdate = "document.update";
}
