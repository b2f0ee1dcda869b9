namespace Cortex.CoreServer.Idempotency;

/// <summary>
/// Endpoint metadata: the endpoint streams a body too large to buffer and applies <c>Idempotency-Key</c> itself
/// (attachment uploads key their rows by it), so <see cref="IdempotencyMiddleware"/> leaves the request alone.
/// </summary>
internal sealed record OwnIdempotencyMetadata;
