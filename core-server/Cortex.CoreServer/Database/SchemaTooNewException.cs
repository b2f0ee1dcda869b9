namespace Cortex.CoreServer.Database;

/// <summary>The database was migrated by a newer cortex-server; running an older one against it could corrupt data.</summary>
public sealed class SchemaTooNewException(int databaseVersion, int serverVersion)
    : MigrationRefusedException(
        $"The database schema is at version {databaseVersion}, newer than this cortex-server knows (version {serverVersion}). " +
        "It was migrated by a newer cortex-server; refusing to start. Upgrade cortex-server or restore a matching backup.")
{
    public int DatabaseVersion { get; } = databaseVersion;

    public int ServerVersion { get; } = serverVersion;
}
