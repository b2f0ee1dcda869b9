using Microsoft.Data.Sqlite;

namespace Cortex.LocalSearch;

/// <summary>Loads the sqlite-vec extension (<c>vec0.so</c>, copied next to the assemblies by the build).</summary>
public static class SqliteVec
{
    public const string LibraryFileName = "vec0.so";

    /// <summary>Where the extension is expected: the application's base directory.</summary>
    public static string LibraryPath => Path.Combine(AppContext.BaseDirectory, LibraryFileName);

    public static void Load(SqliteConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var path = LibraryPath;
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(
                $"sqlite-vec was not found at {path}. It is restored by building Cortex.LocalSearch (npm ci in its native/ folder).",
                path);
        }

        connection.EnableExtensions(true);
        try
        {
            connection.LoadExtension(path, "sqlite3_vec_init");
        }
        finally
        {
            connection.EnableExtensions(false);
        }
    }
}
