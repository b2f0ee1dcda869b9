using Microsoft.Data.Sqlite;

namespace Cortex.LocalSearch;

/// <summary>Opens a replica connection ready for search: sqlite-vec loaded, pragmas set, schema present.</summary>
public static class SearchDatabase
{
    /// <param name="path">The replica file; ":memory:" gives a private in-memory database.</param>
    /// <param name="sqliteVecIndex">Also keep the sqlite-vec index that <see cref="VectorPath.SqliteVecBits"/> needs.</param>
    public static SqliteConnection Open(string path, bool sqliteVecIndex = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var builder = new SqliteConnectionStringBuilder { DataSource = path, Pooling = false };
        var connection = new SqliteConnection(builder.ConnectionString);
        try
        {
            connection.Open();
            SqliteVec.Load(connection);
            using (var pragmas = connection.CreateCommand())
            {
                // WAL lets the MCP server read while sync writes; the indexes are hot, so keep them cached and mapped.
                pragmas.CommandText = """
                    PRAGMA journal_mode = WAL;
                    PRAGMA synchronous = NORMAL;
                    PRAGMA temp_store = MEMORY;
                    PRAGMA cache_size = -65536;
                    PRAGMA mmap_size = 268435456;
                    PRAGMA busy_timeout = 5000;
                    """;
                pragmas.ExecuteNonQuery();
            }

            SearchSchema.EnsureCreated(connection);
            if (sqliteVecIndex)
            {
                SqliteVecIndex.EnsureCreated(connection);
            }

            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }
}
