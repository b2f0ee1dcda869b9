using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Cortex.Daemon.Workspace;
using Cortex.Replica;
using Cortex.SyncProtocol;

namespace Cortex.Sync.Bench;

/// <summary>
/// Outbox upload throughput: writes queued while the daemon was down, then the time from its start until every one has
/// a verdict. Baseline in the same run: the same kind of write sent through the REST API one request at a time.
/// </summary>
internal static class OutboxRun
{
    public sealed record Result(int Queued, TimeSpan Drained, IReadOnlyDictionary<OutboxState, int> States, int RestWrites, TimeSpan RestElapsed);

    public static async Task<Result> RunAsync(WorkspacePaths workspace, SyncBenchOptions options, HttpClient api, string slug)
    {
        using (var replica = ReplicaStore.Open(workspace.ReplicaFile))
        {
            for (var i = 0; i < options.OfflineWrites; i++)
            {
                var payload = JsonSerializer.SerializeToUtf8Bytes(new { title = $"Offline write {i}", body = $"Queued while offline, number {i}." });
                replica.Outbox.Enqueue(MutationKinds.CreateThread, payload, "subcortex", slug);
            }
        }

        var clock = Stopwatch.StartNew();
        TimeSpan drained;
        IReadOnlyDictionary<OutboxState, int> states;
        await using (var daemon = await BenchDaemon.StartAsync(workspace, options))
        {
            while (daemon.Replica.Outbox.Summary().Depth > 0 && clock.Elapsed < TimeSpan.FromMinutes(10))
            {
                await Task.Delay(20);
            }

            drained = clock.Elapsed;
            states = daemon.Replica.Outbox.Summary().CountsByState;
        }

        var restWrites = Math.Min(options.OfflineWrites, 2_000);
        var rest = Stopwatch.StartNew();
        for (var i = 0; i < restWrites; i++)
        {
            using var response = await api.PostAsJsonAsync(
                new Uri($"/api/v1/subcortexes/{slug}/threads", UriKind.Relative),
                new { title = $"REST write {i}", body = $"Sent through the API, number {i}." });
            response.EnsureSuccessStatusCode();
        }

        return new Result(options.OfflineWrites, drained, states, restWrites, rest.Elapsed);
    }
}
