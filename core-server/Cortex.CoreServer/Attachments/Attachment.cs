namespace Cortex.CoreServer.Attachments;

/// <summary>
/// A file in the object store. <see cref="FileName"/> is the client's name, sanitized for display and downloads;
/// <see cref="ContentType"/> is sniffed from the content. Owned by <see cref="OwnerKind"/>/<see cref="OwnerId"/>
/// (a thread or observation, whose readers may download it) or, while unlinked, only by <see cref="UploadedBy"/>.
/// </summary>
public sealed record Attachment
{
    public required string Id { get; init; }
    public required string FileName { get; init; }
    public required string ContentType { get; init; }
    public required long Size { get; init; }
    public required string Sha256 { get; init; }
    public required string UploadedBy { get; init; }
    public string? OwnerKind { get; init; }
    public string? OwnerId { get; init; }
    public string? SubcortexId { get; init; }
    public long Version { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
}
