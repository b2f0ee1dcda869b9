using Microsoft.Data.Sqlite;

namespace Cortex.Daemon.Search;

/// <summary>The replica's subcortexes by id: the index stores ids (what purges name), people and agents use slugs.</summary>
internal static class Subcortexes
{
    public static Dictionary<string, string> SlugsById(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, slug FROM subcortexes WHERE slug IS NOT NULL";
        using var reader = command.ExecuteReader();
        var slugs = new Dictionary<string, string>(StringComparer.Ordinal);
        while (reader.Read())
        {
            slugs[reader.GetString(0)] = reader.GetString(1);
        }

        return slugs;
    }
}
