using System.Collections.Concurrent;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Cortex.CoreServer.Auth;

/// <summary>
/// Records when each key was last used without a write per request: requests only note the time in memory, and
/// a background loop writes the latest time per key in one batched UPDATE.
/// </summary>
internal sealed class KeyUsageTracker(NpgsqlDataSource dataSource, TimeProvider time, IOptions<AuthOptions> options, ILogger<KeyUsageTracker> logger)
    : BackgroundService
{
    private ConcurrentDictionary<string, DateTimeOffset> _pending = new(StringComparer.Ordinal);

    public void Touch(string keyId) => _pending[keyId] = time.GetUtcNow();

    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        var batch = Interlocked.Exchange(ref _pending, new ConcurrentDictionary<string, DateTimeOffset>(StringComparer.Ordinal));
        if (batch.IsEmpty)
        {
            return;
        }

        var ids = batch.Keys.ToArray();
        var times = ids.Select(id => batch[id].UtcDateTime).ToArray();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE api_keys k SET last_used_at = u.at
            FROM unnest(@ids, @times) AS u(id, at)
            WHERE k.id = u.id AND (k.last_used_at IS NULL OR k.last_used_at < u.at)
            """,
            new { ids, times },
            cancellationToken: cancellationToken));
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await FlushAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.LastUsedFlushSeconds), time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await FlushAsync(stoppingToken);
            }
            catch (NpgsqlException exception)
            {
                // Last-used times are advisory; keep the loop alive and try again on the next tick.
                Log.LastUsedFlushFailed(logger, exception);
            }
        }
    }
}
