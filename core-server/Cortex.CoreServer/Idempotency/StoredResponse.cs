namespace Cortex.CoreServer.Idempotency;

/// <summary>The first answer to an idempotent POST, replayed for every repeat.</summary>
internal sealed record StoredResponse
{
    public required byte[] RequestHash { get; init; }
    public int? Status { get; init; }
    public string? ContentType { get; init; }
    public string? Location { get; init; }
    public string? Etag { get; init; }
    public byte[]? Body { get; init; }
}
