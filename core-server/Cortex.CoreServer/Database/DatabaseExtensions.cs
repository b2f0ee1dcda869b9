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

        builder.Services.AddSingleton(services =>
        {
            var options = services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            var dataSource = new NpgsqlDataSourceBuilder(options.ConnectionString);

            // No session state survives a request (the migrator unlocks what it locks), so skip the DISCARD ALL
            // on every pooled reuse; and let hot statements be prepared once per physical connection.
            dataSource.ConnectionStringBuilder.NoResetOnClose = true;
            if (dataSource.ConnectionStringBuilder.MaxAutoPrepare == 0)
            {
                dataSource.ConnectionStringBuilder.MaxAutoPrepare = 50;
                dataSource.ConnectionStringBuilder.AutoPrepareMinUsages = 2;
            }

            // pgvector's binary format: reading vector(384) this way is ~8x cheaper than casting to real[] (sync pages).
            dataSource.UseVector();
            return dataSource.Build();
        });
        builder.Services.AddSingleton<Migrator>();
        builder.Services.AddScoped<WriteSession>();

        DefaultTypeMap.MatchNamesWithUnderscores = true;
        SqlMapper.AddTypeHandler(new DateTimeOffsetHandler());
        return builder;
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
