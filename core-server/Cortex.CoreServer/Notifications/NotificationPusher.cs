using System.Text.Json;
using System.Threading.Channels;
using Cortex.CoreServer.Database;
using Dapper;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Cortex.CoreServer.Notifications;

/// <summary>
/// LISTENs for notifications the worker created (it NOTIFYs <see cref="ChannelName"/> with the id at COMMIT) and pushes
/// each one to its principal's hub group. Every server instance listens, but only the one whose UPDATE claims
/// <c>pushed_at</c> sends, so with the Redis backplane each connection receives a notification once. After every
/// (re)connect of the listener, unpushed notifications of the last minutes are swept up: NOTIFYs sent while nobody
/// listened are lost.
/// </summary>
internal sealed class NotificationPusher(
    NpgsqlDataSource dataSource,
    IHubContext<NotificationsHub> hub,
    IOptions<JsonOptions> json,
    TimeProvider time,
    ILogger<NotificationPusher> logger) : BackgroundService
{
    public const string ChannelName = "cortex_notifications";
    private const string Sweep = "";

    private readonly Channel<string> _ids = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly JsonSerializerOptions _json = json.Value.SerializerOptions;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var pusher = PushLoopAsync(stoppingToken);
        await ListenLoopAsync(stoppingToken);
        _ids.Writer.TryComplete();
        await pusher;
    }

    private Task ListenLoopAsync(CancellationToken stoppingToken) => PostgresListener.RunAsync(
        dataSource,
        ChannelName,
        id => _ids.Writer.TryWrite(id),
        () => _ids.Writer.TryWrite(Sweep),
        exception => Log.NotificationListenFailed(logger, exception),
        time,
        stoppingToken);

    private async Task PushLoopAsync(CancellationToken stoppingToken)
    {
        var batch = new List<string>();
        try
        {
            while (await _ids.Reader.WaitToReadAsync(stoppingToken))
            {
                batch.Clear();
                while (batch.Count < 500 && _ids.Reader.TryRead(out var id))
                {
                    batch.Add(id);
                }

                try
                {
                    await PushAsync(batch, stoppingToken);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    // A database or backplane failure must not stop the server: the client's list still shows the
                    // notification, and one the claim did not reach is swept up after the listener reconnects.
                    Log.NotificationPushFailed(logger, exception);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task PushAsync(List<string> ids, CancellationToken cancellationToken)
    {
        var sweep = ids.Contains(Sweep);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var claimed = await connection.QueryAsync<Notification>(new CommandDefinition(
            $"""
            UPDATE notifications AS n SET pushed_at = now()
            WHERE n.pushed_at IS NULL
              AND (n.id = ANY(@ids) OR (@sweep AND n.created_at > now() - interval '10 minutes'))
            RETURNING {NotificationStore.Columns}
            """,
            new { ids = ids.ToArray(), sweep },
            cancellationToken: cancellationToken));
        foreach (var notification in claimed.OrderBy(n => n.Id, StringComparer.Ordinal))
        {
            await hub.Clients.Group(NotificationsHub.Group(notification.PrincipalId)).SendAsync(
                NotificationsHub.NotificationEvent, JsonSerializer.SerializeToElement(notification, _json), cancellationToken);
        }
    }
}
