using System.Globalization;
using Cortex.Testing;

namespace Cortex.ScaleOut.Tests.Infrastructure;

internal static class DatabaseExtensions
{
    public static async Task<T> ScalarAsync<T>(this PostgresDatabase database, string sql)
    {
        await using var connection = await database.OpenConnectionAsync();
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        return (T)Convert.ChangeType((await command.ExecuteScalarAsync())!, typeof(T), CultureInfo.InvariantCulture);
    }

    public static async Task ExecuteAsync(this PostgresDatabase database, string sql)
    {
        await using var connection = await database.OpenConnectionAsync();
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
