namespace Cortex.CoreServer.Errors;

/// <summary>An expected failure that becomes a problem response of its <see cref="Kind"/>.</summary>
internal sealed class CortexException(ProblemKind kind, string detail, IReadOnlyDictionary<string, string[]>? errors = null)
    : Exception(detail)
{
    public ProblemKind Kind { get; } = kind;

    public IReadOnlyDictionary<string, string[]>? Errors { get; } = errors;

    public static CortexException NotFound(string what) => new(ProblemKind.NotFound, $"{what} was not found.");

    public static CortexException Forbidden(string detail) => new(ProblemKind.Forbidden, detail);

    public static CortexException Conflict(string detail) => new(ProblemKind.Conflict, detail);

    public static CortexException Invalid(IReadOnlyDictionary<string, string[]> errors) =>
        new(ProblemKind.Validation, "See the errors field for the invalid fields.", errors);

    public static CortexException Invalid(string field, string message) =>
        Invalid(new Dictionary<string, string[]> { [field] = [message] });
}
