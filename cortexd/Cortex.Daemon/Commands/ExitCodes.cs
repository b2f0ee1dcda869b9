namespace Cortex.Daemon.Commands;

/// <summary>Exit codes shared by every <c>cortex</c> command.</summary>
internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The command ran and found what it reports, e.g. secrets for <c>cortex scan</c>.</summary>
    public const int Findings = 1;

    /// <summary>Bad arguments, or a file that cannot be read; one line on stderr says which.</summary>
    public const int UsageError = 2;
}
