using Cortex.CoreServer.Database;
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

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => PostgresListener.RunAsync(
        dataSource,
        KeyCacheBroadcast.Channel,
        _ => cache.Invalidate(),
        () =>
        {
            cache.Invalidate();
            _listening.TrySetResult();
        },
        exception => Log.KeyCacheListenFailed(logger, exception),
        time,
        stoppingToken);
}
