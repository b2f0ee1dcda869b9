using Microsoft.Extensions.Options;
using Npgsql;

namespace Cortex.Worker.Health;

/// <summary>
/// The worker has no HTTP port, so its container health check reads a file's age instead: every
/// <see cref="HealthFileOptions.Interval"/> this service asks Postgres for <c>SELECT 1</c> and, when it answers, sets the
/// file's modification time. A hung process or an unreachable database lets the file age and the check fail.
/// </summary>
internal sealed class HealthFile(NpgsqlDataSource dataSource, IOptions<HealthFileOptions> options, ILogger<HealthFile> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var path = options.Value.File;
        if (string.IsNullOrWhiteSpace(path))
        {
            return;
        }

        using var timer = new PeriodicTimer(options.Value.Interval);
        try
        {
            do
            {
                await TouchIfHealthyAsync(path, stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: the file ages, which is right for a stopped worker.
        }
    }

    private async Task TouchIfHealthyAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            await using var command = dataSource.CreateCommand("SELECT 1");
            command.CommandTimeout = 5;
            await command.ExecuteScalarAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is NpgsqlException or TimeoutException)
        {
            logger.HealthCheckFailed(exception);
            return;
        }

        if (!File.Exists(path))
        {
            await File.WriteAllTextAsync(path, "ok\n", cancellationToken);
        }

        File.SetLastWriteTimeUtc(path, DateTime.UtcNow);
    }
}
