namespace Cortex.SharedModel.Content;

public sealed record Comment
{
    public required string Id { get; init; }
    public required string ThreadId { get; init; }
    public required string AuthorId { get; init; }
    public required string Body { get; init; }
    public required string BodyHtml { get; init; }
    public long Version { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
}
