namespace Cortex.CoreServer.Database;

/// <summary>The database's migration history does not match this cortex-server; starting could corrupt data.</summary>
public class MigrationRefusedException(string message) : Exception(message);

/// <summary>An applied migration's script changed after it ran, or the database ran one this cortex-server lacks.</summary>
public sealed class MigrationMismatchException(string message) : MigrationRefusedException(message);
