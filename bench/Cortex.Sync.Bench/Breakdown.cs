using System.Diagnostics;
using Cortex.Daemon.Search;
using Cortex.Replica;
using Cortex.SyncProtocol;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Cortex.Sync.Bench;

/// <summary>
/// Where a bootstrap's time goes: the same feed pulled over the hub with nothing done with it (server + wire), then the
/// same batches applied to a replica without the search index (the replica's own writes). The full cortexd bootstrap
/// adds the search index (FTS5 + vectors) kept in the same transactions.
/// </summary>
internal static class Breakdown
{
    public static async Task<(TimeSpan Pull, IReadOnlyDictionary<string, double> PullCpu, TimeSpan Apply, TimeSpan ApplyIndexed, int Changes)> RunAsync(SyncBenchOptions options, string principalId, string replicaPath, int batchSize)
    {
        await using var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(options.Url, SyncHubRoutes.Path), http =>
            {
                http.AccessTokenProvider = () => Task.FromResult<string?>(options.Key);
                http.Transports = HttpTransportType.WebSockets;
                http.SkipNegotiation = true;
                http.TransportMaxBufferSize = SyncHubRoutes.MaxBufferedBytes;
                http.ApplicationMaxBufferSize = SyncHubRoutes.MaxBufferedBytes;
            })
            .AddMessagePackProtocol(protocol => protocol.SerializerOptions = SyncSerializer.Options)
            .Build();
        await hub.StartAsync();
        var hello = await hub.InvokeAsync<HelloResult>(nameof(ISyncHub.Hello), new Hello
        {
            ProtocolVersion = ProtocolVersion.Current,
            PrincipalId = principalId,
            ReplicaId = Ulid.NewUlid().ToString(),
            Cursor = 0,
            Epoch = 1,
            ClientName = "sync-bench",
        });
        var batches = new List<ChangeBatch>();
        var cpu = new CpuMeter();
        var pull = Stopwatch.StartNew();
        long after = 0;
        while (true)
        {
            var batch = await hub.InvokeAsync<ChangeBatch>(
                nameof(ISyncHub.PullChanges), new PullRequest { Epoch = hello.Epoch, After = after, MaxChanges = batchSize });
            batches.Add(batch);
            after = batch.UpTo;
            if (!batch.HasMore)
            {
                break;
            }
        }

        var pulled = pull.Elapsed;
        var pullCpu = cpu.Elapsed();
        var apply = Apply(batches, replicaPath, options, principalId, hello.Epoch, new ReplicaOptions());
        var applyIndexed = Apply(batches, replicaPath + ".indexed", options, principalId, hello.Epoch, ReplicaSearchSink.ReplicaOptions());
        return (pulled, pullCpu, apply, applyIndexed, batches.Sum(b => b.Changes.Count));
    }

    private static TimeSpan Apply(List<ChangeBatch> batches, string path, SyncBenchOptions options, string principalId, long epoch, ReplicaOptions replicaOptions)
    {
        using var replica = ReplicaStore.Open(path, replicaOptions);
        replica.SetConnection(options.Url.ToString(), principalId);
        replica.ResetEpoch(epoch, "bench");
        var clock = Stopwatch.StartNew();
        foreach (var batch in batches)
        {
            replica.ApplyBatch(batch);
        }

        return clock.Elapsed;
    }
}
