using Cortex.Replica.CrashHost;
using Microsoft.Data.Sqlite;

namespace Cortex.Replica.Tests;

/// <summary>A replica file in its own temp directory, deleted afterwards.</summary>
internal sealed class TempReplica : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("cortex-replica-").FullName;

    public TempReplica(ReplicaOptions? options = null)
    {
        Options = options ?? new ReplicaOptions { ChangeSink = new ShadowIndexSink() };
        Store = ReplicaStore.Open(Path, Options);
    }

    public string Path => System.IO.Path.Combine(_directory, "replica.db");

    public ReplicaOptions Options { get; }

    public ReplicaStore Store { get; private set; }

    public void Reopen()
    {
        Store.Dispose();
        Store = ReplicaStore.Open(Path, Options);
    }

    /// <summary>Closes the store so another process can have the file to itself; <see cref="Reopen"/> opens it again.</summary>
    public void Close() => Store.Dispose();

    /// <summary>All synced rows as (entity, id) → (version, json), read over a separate read connection.</summary>
    public Dictionary<(string Entity, string Id), (long Version, string Json)> Rows()
    {
        using var connection = Store.OpenReadConnection();
        var rows = new Dictionary<(string, string), (long, string)>();
        var selects = EntityTables.All.Select(t => $"SELECT '{t.Entity}', id, version, json FROM {t.Table}")
            .Append("SELECT entity, id, version, json FROM other_entities");
        using var command = connection.CreateCommand();
        command.CommandText = string.Join(" UNION ALL ", selects);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            rows.Add((reader.GetString(0), reader.GetString(1)), (reader.GetInt64(2), reader.GetString(3)));
        }

        return rows;
    }

    /// <summary>The shadow index the sink kept: (entity, id) → version.</summary>
    public Dictionary<(string Entity, string Id), long> ShadowIndex()
    {
        using var connection = Store.OpenReadConnection();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM sqlite_master WHERE name = 'shadow_index'";
        if (command.ExecuteScalar() is null)
        {
            return [];
        }

        command.CommandText = "SELECT entity, id, version FROM shadow_index";
        using var reader = command.ExecuteReader();
        var rows = new Dictionary<(string, string), long>();
        while (reader.Read())
        {
            rows.Add((reader.GetString(0), reader.GetString(1)), reader.GetInt64(2));
        }

        return rows;
    }

    public T Query<T>(string sql)
    {
        using var connection = Store.OpenReadConnection();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (T)Convert.ChangeType(command.ExecuteScalar()!, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    public void Dispose()
    {
        Store.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
