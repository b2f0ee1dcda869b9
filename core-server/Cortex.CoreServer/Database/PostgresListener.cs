using Npgsql;

namespace Cortex.CoreServer.Database;

/// <summary>
/// Holds a connection that LISTENs on one channel until stopped, reconnecting with backoff (200 ms doubling to 10 s)
/// when the connection breaks. NOTIFYs sent while nobody listened are lost, so <c>listening</c> runs after every
/// (re)connect for the caller to catch up.
/// </summary>
internal static class PostgresListener
{
    public static async Task RunAsync(
        NpgsqlDataSource dataSource,
        string channel,
        Action<string> notified,
        Action listening,
        Action<Exception> failed,
        TimeProvider time,
        CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromMilliseconds(200);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
                connection.Notification += (_, args) => notified(args.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                listening();
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
                failed(exception);
                await Task.Delay(delay, time, stoppingToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(10).Ticks));
            }
        }
    }
}
