using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Cortex.CoreServer.Database;

internal static class DatabaseExtensions
{
    public static IHostApplicationBuilder AddCortexDatabase(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DatabaseOptions>()
            .BindConfiguration(DatabaseOptions.Section)
            .ValidateDataAnnotations()
            .Validate(
                options => TryParse(options.ConnectionString),
                "Cortex:Database:ConnectionString is not a valid Npgsql connection string.")
            .ValidateOnStart();

        builder.Services.AddSingleton(services => Build(services.GetRequiredService<IOptions<DatabaseOptions>>().Value.ConnectionString, null));
        // Feed reads (the hub's pages and GET /changes), payloads, epochs and scopes get a small pool of their own: under a
        // write burst the main pool fills with writers queued on the feed-head lock, and pulls waited behind them.
        builder.Services.AddKeyedSingleton(SyncReads, (services, _) =>
            Build(services.GetRequiredService<IOptions<DatabaseOptions>>().Value.ConnectionString, SyncReadsPoolSize));
        builder.Services.AddSingleton<Migrator>();
        builder.Services.AddScoped<WriteSession>();

        DefaultTypeMap.MatchNamesWithUnderscores = true;
        SqlMapper.AddTypeHandler(new DateTimeOffsetHandler());
        return builder;
    }

    /// <summary>The DI key of the replicas' read pool (see <see cref="AddCortexDatabase"/>).</summary>
    public const string SyncReads = "sync-reads";

    private const int SyncReadsPoolSize = 10;

    private static NpgsqlDataSource Build(string connectionString, int? maxPoolSize)
    {
        var dataSource = new NpgsqlDataSourceBuilder(connectionString);

        // No session state survives a request (the migrator unlocks what it locks), so skip the DISCARD ALL
        // on every pooled reuse; and let hot statements be prepared once per physical connection.
        dataSource.ConnectionStringBuilder.NoResetOnClose = true;
        if (dataSource.ConnectionStringBuilder.MaxAutoPrepare == 0)
        {
            dataSource.ConnectionStringBuilder.MaxAutoPrepare = 50;
            dataSource.ConnectionStringBuilder.AutoPrepareMinUsages = 2;
        }

        if (maxPoolSize is { } size)
        {
            dataSource.ConnectionStringBuilder.MaxPoolSize = Math.Min(size, dataSource.ConnectionStringBuilder.MaxPoolSize);
            dataSource.ConnectionStringBuilder.MinPoolSize = 0;
        }

        // pgvector's binary format: reading vector(384) this way is ~8x cheaper than casting to real[] (sync pages).
        dataSource.UseVector();
        return dataSource.Build();
    }

    private static bool TryParse(string connectionString)
    {
        try
        {
            _ = new NpgsqlConnectionStringBuilder(connectionString);
            return !string.IsNullOrWhiteSpace(connectionString);
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>Npgsql reads timestamptz as a UTC <see cref="DateTime"/>; our records use <see cref="DateTimeOffset"/>.</summary>
    private sealed class DateTimeOffsetHandler : SqlMapper.TypeHandler<DateTimeOffset>
    {
        public override DateTimeOffset Parse(object value) => value switch
        {
            DateTime dateTime => new DateTimeOffset(DateTime.SpecifyKind(dateTime, DateTimeKind.Utc)),
            DateTimeOffset dateTimeOffset => dateTimeOffset,
            _ => throw new InvalidCastException($"Cannot read {value.GetType()} as a DateTimeOffset."),
        };

        public override void SetValue(System.Data.IDbDataParameter parameter, DateTimeOffset value)
        {
            parameter.Value = value.UtcDateTime;
        }
    }
}
