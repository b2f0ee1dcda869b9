using Npgsql;
using Xunit;

namespace Cortex.Testing;

/// <summary>
/// A fresh, uniquely named Postgres database (with the <c>vector</c> extension) for one test class.
/// Use it as <c>IClassFixture&lt;PostgresDatabase&gt;</c>; it is dropped when the class has run.
/// The cluster comes from <c>CORTEX_TEST_PG</c>, a superuser connection string set by <c>scripts/test.sh</c>.
/// </summary>
public sealed class PostgresDatabase : IAsyncLifetime
{
    public const string EnvironmentVariable = "CORTEX_TEST_PG";

    private readonly string _adminConnectionString;

    public PostgresDatabase()
    {
        var cluster = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (string.IsNullOrWhiteSpace(cluster))
        {
            throw new InvalidOperationException(
                $"{EnvironmentVariable} is not set. Integration tests need a running Postgres with pgvector: " +
                "run the tests through scripts/test.sh, which starts one and sets " +
                $"{EnvironmentVariable} (e.g. 'Host=127.0.0.1;Port=40717;Username=postgres').");
        }

        var admin = new NpgsqlConnectionStringBuilder(cluster) { Database = "postgres", Pooling = false };
        _adminConnectionString = admin.ConnectionString;
        DatabaseName = "cortex_test_" + Guid.NewGuid().ToString("N")[..16];
        ConnectionString = new NpgsqlConnectionStringBuilder(cluster) { Database = DatabaseName }.ConnectionString;
    }

    /// <summary>The name of this test class's database.</summary>
    public string DatabaseName { get; }

    /// <summary>A superuser connection string to this test class's database.</summary>
    public string ConnectionString { get; }

    /// <summary>Opens a new connection to this test class's database.</summary>
    public async Task<NpgsqlConnection> OpenConnectionAsync(CancellationToken cancellationToken = default)
    {
        var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        return connection;
    }

    public async Task InitializeAsync()
    {
        await using (var admin = new NpgsqlConnection(_adminConnectionString))
        {
            await admin.OpenAsync().ConfigureAwait(false);
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{DatabaseName}\"", admin);
            await create.ExecuteNonQueryAsync().ConfigureAwait(false);
        }

        await using var connection = await OpenConnectionAsync().ConfigureAwait(false);
        await using var extension = new NpgsqlCommand("CREATE EXTENSION IF NOT EXISTS vector", connection);
        await extension.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    public async Task DisposeAsync()
    {
        await using (var own = new NpgsqlConnection(ConnectionString))
        {
            NpgsqlConnection.ClearPool(own);
        }

        await using var admin = new NpgsqlConnection(_adminConnectionString);
        await admin.OpenAsync().ConfigureAwait(false);
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{DatabaseName}\" WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync().ConfigureAwait(false);
    }
}
