using Npgsql;

namespace Cortex.CoreServer.Errors;

/// <summary>The one place that turns Postgres errors into our exceptions; anything not listed stays a 500.</summary>
internal static class SqlErrors
{
    public static CortexException? Translate(PostgresException exception) => exception.SqlState switch
    {
        PostgresErrorCodes.UniqueViolation => exception.ConstraintName switch
        {
            "principals_handle_key" => CortexException.Invalid("handle", "This handle is already taken."),
            "subcortexes_slug_key" => CortexException.Invalid("slug", "This slug is already taken."),
            _ => CortexException.Conflict("A resource with the same identity already exists."),
        },
        PostgresErrorCodes.ForeignKeyViolation => CortexException.Conflict("A referenced resource does not exist."),
        PostgresErrorCodes.CheckViolation => new CortexException(ProblemKind.Validation, "A value is out of range."),
        PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected =>
            new CortexException(ProblemKind.Conflict, "The request collided with a concurrent one; retry it."),
        PostgresErrorCodes.QueryCanceled => new CortexException(ProblemKind.Unavailable, "The database took too long to answer."),
        _ => null,
    };
}
