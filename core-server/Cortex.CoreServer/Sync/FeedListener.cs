using System.Globalization;
using System.Threading.Channels;
using Cortex.CoreServer.Database;
using Cortex.SyncProtocol;
using Microsoft.AspNetCore.SignalR;
using Npgsql;

namespace Cortex.CoreServer.Sync;

/// <summary>
/// LISTENs for feed commits (the <c>0300_sync</c> trigger NOTIFYs at COMMIT) and pushes <see cref="HeadAdvanced"/> to
/// every connected principal's replicas. The push carries only the head; what each replica may read is decided when it
/// pulls, so the push needs no per-principal filtering. Works across server instances sharing the database.
/// </summary>
internal sealed class FeedListener(
    NpgsqlDataSource dataSource,
    IHubContext<SyncHub, ISyncClient> hub,
    ReplicaRegistry registry,
    FeedHead feedHead,
    TimeProvider time,
    ILogger<FeedListener> logger) : BackgroundService
{
    public const string ChannelName = "cortex_feed";

    // Heads only grow, so under a burst of commits only the newest needs pushing.
    private readonly Channel<long> _heads = Channel.CreateBounded<long>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var pusher = PushLoopAsync(stoppingToken);
        await ListenLoopAsync(stoppingToken);
        _heads.Writer.TryComplete();
        await pusher;
    }

    private Task ListenLoopAsync(CancellationToken stoppingToken) => PostgresListener.RunAsync(
        dataSource,
        ChannelName,
        payload =>
        {
            if (long.TryParse(payload, CultureInfo.InvariantCulture, out var head))
            {
                feedHead.Advance(head);
                _heads.Writer.TryWrite(head);
            }
        },
        feedHead.Wake,
        exception => Log.FeedListenFailed(logger, exception),
        time,
        stoppingToken);

    private async Task PushLoopAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var head in _heads.Reader.ReadAllAsync(stoppingToken))
            {
                var now = time.GetUtcNow().ToUnixTimeMilliseconds();
                foreach (var (principalId, epoch) in registry.ConnectedPrincipals)
                {
                    await hub.Clients.Group(SyncHub.PrincipalGroup(principalId))
                        .HeadAdvanced(new HeadAdvanced { Epoch = epoch, Head = head, CommittedAtUnixMs = now });
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
