using System.Threading.Channels;
using Cortex.SyncProtocol;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Cortex.ScaleOut.Tests.Infrastructure;

/// <summary>A sync hub connection (MessagePack, as cortexd speaks it) that records the server's pushes.</summary>
internal sealed class SyncClient : IAsyncDisposable
{
    private readonly HubConnection _connection;

    private SyncClient(HubConnection connection)
    {
        _connection = connection;
        connection.On<HeadAdvanced>(nameof(ISyncClient.HeadAdvanced), head => Heads.Writer.TryWrite(head.Head));
        connection.On<EpochReset>(nameof(ISyncClient.EpochReset), reset => Resets.Writer.TryWrite(reset));
    }

    public Channel<long> Heads { get; } = Channel.CreateUnbounded<long>();

    public Channel<EpochReset> Resets { get; } = Channel.CreateUnbounded<EpochReset>();

    public long Epoch { get; private set; }

    public static async Task<SyncClient> ConnectAsync(ServerInstance server, string key, string principalId)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(server.Url, SyncHubRoutes.Path), http =>
            {
                http.AccessTokenProvider = () => Task.FromResult<string?>(key);
                http.Transports = HttpTransportType.WebSockets;
                http.SkipNegotiation = true;
            })
            .AddMessagePackProtocol(protocol => protocol.SerializerOptions = SyncSerializer.Options)
            .Build();
        var client = new SyncClient(connection);
        await connection.StartAsync();
        var hello = await connection.InvokeAsync<HelloResult>(nameof(ISyncHub.Hello), new Hello
        {
            ProtocolVersion = ProtocolVersion.Current,
            PrincipalId = principalId,
            ReplicaId = Guid.NewGuid().ToString("N")[..26].ToUpperInvariant(),
            Cursor = 0,
            Epoch = 1,
            ClientName = "scale-out-test",
        });
        Assert.True(hello.Status is HelloStatus.Accepted or HelloStatus.ResetRequired, hello.Message);
        client.Epoch = hello.Epoch;
        return client;
    }

    public Task<ChangeBatch> PullAsync(long after) =>
        _connection.InvokeAsync<ChangeBatch>(
            nameof(ISyncHub.PullChanges), new PullRequest { Epoch = Epoch, After = after, MaxChanges = 1000 });

    /// <summary>Waits for a head push at or past <paramref name="position"/>.</summary>
    public async Task WaitForHeadAsync(long position, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (await Heads.Reader.ReadAsync(deadline.Token) < position)
        {
        }
    }

    public ValueTask DisposeAsync() => _connection.DisposeAsync();
}
