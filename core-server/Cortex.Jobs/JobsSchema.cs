using Npgsql;

namespace Cortex.Jobs;

/// <summary>The <c>jobs</c> table and its trigger, from the embedded <c>Schema/jobs.sql</c>.</summary>
public static class JobsSchema
{
    /// <summary>An arbitrary constant: concurrent starts take turns instead of racing on CREATE.</summary>
    private const long AdvisoryLockKey = 0x436f72746578_4a6f;

    /// <summary>The idempotent schema script, for migration runners that include it.</summary>
    public static string Sql { get; } = Load();

    /// <summary>Creates or updates the schema; safe to call from several processes at once.</summary>
    public static async Task EnsureAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                await using (var take = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@key)", connection, transaction))
                {
                    take.Parameters.AddWithValue("key", AdvisoryLockKey);
                    await take.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                await using (var create = new NpgsqlCommand(Sql, connection, transaction))
                {
                    await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static string Load()
    {
        using var stream = typeof(JobsSchema).Assembly.GetManifestResourceStream("Cortex.Jobs.Schema.jobs.sql")
            ?? throw new InvalidOperationException("The embedded resource Cortex.Jobs.Schema.jobs.sql is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
