namespace Cortex.Jobs;

/// <summary>Thrown by a handler when retrying cannot help: the job is dead-lettered at once.</summary>
public sealed class PermanentJobFailureException : Exception
{
    public PermanentJobFailureException(string message)
        : base(message)
    {
    }

    public PermanentJobFailureException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
