using Npgsql;

namespace Cortex.CoreServer.Auth;

/// <summary>
/// LISTENs for <see cref="KeyCacheBroadcast"/> and clears this instance's <see cref="KeyCache"/>, so a key revoked or a
/// principal disabled through any instance is refused by all of them at once rather than after the cache TTL.
/// Notifications sent while the listening connection was down are lost, so every (re)connect clears the cache too.
/// </summary>
internal sealed class KeyCacheListener(NpgsqlDataSource dataSource, KeyCache cache, TimeProvider time, ILogger<KeyCacheListener> logger)
    : BackgroundService
{
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once the first LISTEN is in place (tests wait on it before revoking).</summary>
    public Task Listening => _listening.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromMilliseconds(200);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
                connection.Notification += (_, _) => cache.Invalidate();
                await using (var listen = new NpgsqlCommand($"LISTEN {KeyCacheBroadcast.Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                cache.Invalidate();
                _listening.TrySetResult();
                delay = TimeSpan.FromMilliseconds(200);
                while (!stoppingToken.IsCancellationRequested)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (exception is NpgsqlException or InvalidOperationException or TimeoutException)
            {
                Log.KeyCacheListenFailed(logger, exception);
                await Task.Delay(delay, time, stoppingToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(10).Ticks));
            }
        }
    }
}
