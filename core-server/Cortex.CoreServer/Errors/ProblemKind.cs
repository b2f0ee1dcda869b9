namespace Cortex.CoreServer.Errors;

/// <summary>One kind of error: a stable RFC 7807 <c>type</c>, its title and HTTP status. Clients switch on <see cref="Type"/>.</summary>
internal sealed record ProblemKind(string Name, string Title, int Status)
{
    public static readonly ProblemKind Validation = new("validation", "One or more fields are invalid.", 400);
    public static readonly ProblemKind MalformedRequest = new("malformed-request", "The request could not be read.", 400);
    public static readonly ProblemKind Unauthenticated = new("unauthenticated", "Authentication is required.", 401);
    public static readonly ProblemKind Forbidden = new("forbidden", "You are not allowed to do this.", 403);
    public static readonly ProblemKind NotFound = new("not-found", "The resource does not exist.", 404);
    public static readonly ProblemKind MethodNotAllowed = new("method-not-allowed", "The method is not allowed on this resource.", 405);
    public static readonly ProblemKind Conflict = new("conflict", "The request conflicts with the current state.", 409);
    public static readonly ProblemKind VersionConflict = new("version-conflict", "The resource was changed by someone else.", 409);
    public static readonly ProblemKind PreconditionFailed = new("precondition-failed", "The If-Match precondition failed.", 412);
    public static readonly ProblemKind PayloadTooLarge = new("payload-too-large", "The request body is too large.", 413);
    public static readonly ProblemKind UnsupportedMediaType = new("unsupported-media-type", "The request body must be application/json.", 415);
    public static readonly ProblemKind IdempotencyKeyReused = new("idempotency-key-reused", "The Idempotency-Key was already used with a different request.", 422);
    public static readonly ProblemKind PreconditionRequired = new("precondition-required", "An If-Match header or a version field is required.", 428);
    public static readonly ProblemKind RateLimited = new("rate-limited", "Too many requests.", 429);
    public static readonly ProblemKind Internal = new("internal", "An unexpected error occurred.", 500);
    public static readonly ProblemKind Unavailable = new("unavailable", "A dependency is unavailable.", 503);

    private static readonly Dictionary<int, ProblemKind> ByStatus = new[]
    {
        Validation, Unauthenticated, Forbidden, NotFound, MethodNotAllowed, Conflict, PreconditionFailed, PayloadTooLarge,
        UnsupportedMediaType, IdempotencyKeyReused, PreconditionRequired, RateLimited, Internal, Unavailable,
    }.ToDictionary(kind => kind.Status);

    public string Type => "urn:cortex:problem:" + Name;

    public static ProblemKind ForStatus(int status) =>
        ByStatus.TryGetValue(status, out var kind) ? kind : new ProblemKind("http-" + status, "The request failed.", status);
}
