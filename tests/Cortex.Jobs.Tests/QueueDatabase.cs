using Cortex.Testing;
using Npgsql;

namespace Cortex.Jobs.Tests;

/// <summary>A test class's database with the jobs schema, and a data source over it.</summary>
public sealed class QueueDatabase : IAsyncDisposable
{
    private QueueDatabase(PostgresDatabase database, NpgsqlDataSource dataSource)
    {
        Database = database;
        DataSource = dataSource;
        Queue = new JobQueue(dataSource);
    }

    public PostgresDatabase Database { get; }

    public NpgsqlDataSource DataSource { get; }

    public JobQueue Queue { get; }

    public static async Task<QueueDatabase> CreateAsync(PostgresDatabase database)
    {
        var dataSource = NpgsqlDataSource.Create(database.ConnectionString);
        await JobsSchema.EnsureAsync(dataSource);
        return new QueueDatabase(database, dataSource);
    }

    public async Task<long> ScalarAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = DataSource.CreateCommand(sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var command = DataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();
}
