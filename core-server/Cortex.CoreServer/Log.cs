namespace Cortex.CoreServer;

/// <summary>All log messages of cortex-server. Event ids: 1xx database, 2xx auth, 5xx request failures.</summary>
internal static partial class Log
{
    [LoggerMessage(101, LogLevel.Information, "Applied migration {Version} ({Name})")]
    public static partial void MigrationApplied(ILogger logger, int version, string name);

    [LoggerMessage(102, LogLevel.Warning, "Readiness check failed: the database is not reachable")]
    public static partial void DatabaseNotReady(ILogger logger, Exception exception);

    [LoggerMessage(103, LogLevel.Warning, "Readiness check failed: the object store did not answer")]
    public static partial void ObjectStoreNotReady(ILogger logger, Exception exception);

    [LoggerMessage(201, LogLevel.Warning, "Writing API key last-used times failed; will retry")]
    public static partial void LastUsedFlushFailed(ILogger logger, Exception exception);

    [LoggerMessage(202, LogLevel.Information, "Bootstrapped admin principal {PrincipalId} ({Handle})")]
    public static partial void AdminBootstrapped(ILogger logger, string principalId, string handle);

    [LoggerMessage(501, LogLevel.Error, "Unhandled exception for {Method} {Path}")]
    public static partial void UnhandledException(ILogger logger, Exception exception, string method, string path);
}
