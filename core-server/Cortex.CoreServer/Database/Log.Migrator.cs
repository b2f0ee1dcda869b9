namespace Cortex.CoreServer;

/// <summary>Migration history messages. Event ids: 15x.</summary>
internal static partial class Log
{
    [LoggerMessage(151, LogLevel.Warning, "Applying migration {Version} ({Name}) below the highest applied version {Highest}: it was merged late")]
    public static partial void MigrationAppliedOutOfOrder(ILogger logger, int version, string name, int highest);

    [LoggerMessage(152, LogLevel.Warning, "Migration {Version} ({Name}) was edited after it was applied; accepted by configuration, new checksum recorded")]
    public static partial void EditedMigrationAccepted(ILogger logger, int version, string name);
}
