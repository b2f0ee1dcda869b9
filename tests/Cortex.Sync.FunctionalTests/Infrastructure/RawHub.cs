using Cortex.SyncProtocol;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Cortex.Sync.FunctionalTests.Infrastructure;

/// <summary>A bare SignalR MessagePack connection to the sync hub, for protocol-level tests.</summary>
public static class RawHub
{
    public static async Task<HubConnection> ConnectAsync(SyncServer server, string? key)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(server.Url, SyncHubRoutes.Path), http =>
            {
                if (key is not null)
                {
                    http.AccessTokenProvider = () => Task.FromResult<string?>(key);
                }

                http.Transports = HttpTransportType.WebSockets;
                http.SkipNegotiation = true;
            })
            .AddMessagePackProtocol(protocol => protocol.SerializerOptions = SyncSerializer.Options)
            .Build();
        await connection.StartAsync();
        return connection;
    }

    public static Hello Hello(string principalId, int version = ProtocolVersion.Current, long epoch = 1) => new()
    {
        ProtocolVersion = version,
        PrincipalId = principalId,
        ReplicaId = Ulid.NewUlid().ToString(),
        Cursor = 0,
        Epoch = epoch,
        ClientName = "raw-test",
    };
}
