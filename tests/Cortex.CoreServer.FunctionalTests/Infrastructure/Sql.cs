using Cortex.Testing;
using Npgsql;

namespace Cortex.CoreServer.FunctionalTests.Infrastructure;

public static class Sql
{
    public static async Task<long> CountAsync(this PostgresDatabase database, string table, string where = "true")
    {
        await using var connection = await database.OpenConnectionAsync();
        await using var command = new NpgsqlCommand($"SELECT count(*) FROM {table} WHERE {where}", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public static async Task<object?> ScalarAsync(this PostgresDatabase database, string sql)
    {
        await using var connection = await database.OpenConnectionAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    /// <summary>Waits until <paramref name="count"/> backends of this database wait on a lock (no sleeps for ordering).</summary>
    public static async Task WaitForLockWaitersAsync(this PostgresDatabase database, int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var waiting = (long)(await database.ScalarAsync(
                $"SELECT count(*) FROM pg_stat_activity WHERE datname = '{database.DatabaseName}' AND wait_event_type = 'Lock'"))!;
            if (waiting >= count)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Only {waiting} of {count} expected backends are waiting on a lock.");
            }

            await Task.Delay(20);
        }
    }
}
