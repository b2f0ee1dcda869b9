using Cortex.ObjectStore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Cortex.Backup;

/// <summary>
/// The server's settings as the backup tool sees them: <c>appsettings.json</c> in the configuration directory (if
/// any), then environment variables (<c>Cortex__Database__ConnectionString</c>, <c>Cortex__ObjectStore__Root</c>…).
/// </summary>
public sealed class BackupEnvironment : IAsyncDisposable
{
    private const string ConnectionStringKey = "Cortex:Database:ConnectionString";
    private readonly ServiceProvider _services;

    private BackupEnvironment(ServiceProvider services, string connectionString, IObjectStore objectStore)
    {
        _services = services;
        ConnectionString = connectionString;
        ObjectStore = objectStore;
    }

    public string ConnectionString { get; }

    public IObjectStore ObjectStore { get; }

    public static BackupEnvironment Create(IReadOnlyDictionary<string, string> environment, string? configDirectory)
    {
        var builder = new ConfigurationBuilder();
        if (configDirectory is not null)
        {
            builder.AddJsonFile(Path.Combine(Path.GetFullPath(configDirectory), "appsettings.json"), optional: true);
        }

        builder.AddInMemoryCollection(environment
            .Where(e => e.Key.StartsWith("Cortex__", StringComparison.OrdinalIgnoreCase))
            .Select(e => KeyValuePair.Create(e.Key.Replace("__", ":", StringComparison.Ordinal), (string?)e.Value)));
        var configuration = builder.Build();

        var connectionString = configuration[ConnectionStringKey];
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new BackupException(ExitCodes.Usage, $"{ConnectionStringKey} is required (env Cortex__Database__ConnectionString)");
        }

        try
        {
            _ = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException e)
        {
            throw new BackupException(ExitCodes.Usage, $"{ConnectionStringKey} is not a valid connection string: {e.Message}", e);
        }

        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning))
            .AddCortexObjectStore()
            .BuildServiceProvider();
        try
        {
            _ = services.GetRequiredService<IOptions<ObjectStoreOptions>>().Value;
            return new BackupEnvironment(services, connectionString, services.GetRequiredService<IObjectStore>());
        }
        catch (OptionsValidationException e)
        {
            services.Dispose();
            throw new BackupException(ExitCodes.Usage, $"invalid Cortex:ObjectStore settings: {string.Join("; ", e.Failures)}", e);
        }
    }

    public async Task<NpgsqlConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
        {
            await connection.DisposeAsync();
            throw new BackupException(ExitCodes.ExternalFailure, $"cannot connect to the database: {e.Message}", e);
        }
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
