namespace Cortex.Backup;

/// <summary>A failure reported as one line on stderr with its exit code.</summary>
public sealed class BackupException(int exitCode, string message, Exception? inner = null) : Exception(message, inner)
{
    public int ExitCode { get; } = exitCode;
}
