namespace Cortex.Backup;

/// <summary>The process exit codes of <c>cortex-backup</c> (documented in README.md).</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>verify: an object the database references is missing or has the wrong hash.</summary>
    public const int VerifyFailed = 1;

    /// <summary>Bad command line, missing passphrase variable or invalid configuration.</summary>
    public const int Usage = 2;

    /// <summary>The archive is unreadable, incomplete or an entry's checksum does not match.</summary>
    public const int CorruptArchive = 3;

    /// <summary>The passphrase does not decrypt the secrets.</summary>
    public const int WrongPassphrase = 4;

    /// <summary>restore: the target database already has tables (pass --force to replace them).</summary>
    public const int TargetNotEmpty = 5;

    /// <summary>pg_dump/pg_restore failed, or the database or object store could not be reached.</summary>
    public const int ExternalFailure = 6;
}
