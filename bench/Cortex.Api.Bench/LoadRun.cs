using System.Diagnostics;

namespace Cortex.Api.Bench;

internal static class LoadRun
{
    public static async Task<LoadResult> RunAsync(string name, BenchOptions options, Func<int, int, Task<bool>> request)
    {
        // Warm-up: JIT, connection pool, server caches; not measured.
        await RunWorkersAsync(options.Clients, TimeSpan.FromSeconds(2), request, recorders: null).ConfigureAwait(false);

        var recorders = Enumerable.Range(0, options.Clients).Select(_ => new List<long>(capacity: 100_000)).ToArray();
        var errors = new int[options.Clients];
        var wall = Stopwatch.StartNew();
        await RunWorkersAsync(options.Clients, TimeSpan.FromSeconds(options.Seconds), request, (recorders, errors)).ConfigureAwait(false);
        wall.Stop();
        var all = recorders.SelectMany(r => r).ToArray();
        Array.Sort(all);
        var result = new LoadResult(name, options.Clients, wall.Elapsed, all, errors.Sum());
        Console.WriteLine($"{name}: {result.Requests} requests in {wall.Elapsed.TotalSeconds:F1} s");
        return result;
    }

    private static Task RunWorkersAsync(int clients, TimeSpan duration, Func<int, int, Task<bool>> request, (List<long>[] Latencies, int[] Errors)? recorders)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        return Task.WhenAll(Enumerable.Range(0, clients).Select(client => Task.Run(async () =>
        {
            var i = client * 1_000_000;
            while (Stopwatch.GetTimestamp() < deadline)
            {
                var start = Stopwatch.GetTimestamp();
                bool ok;
                try
                {
                    ok = await request(client, i++).ConfigureAwait(false);
                }
                catch (HttpRequestException)
                {
                    ok = false;
                }
                var elapsed = Stopwatch.GetTimestamp() - start;
                if (recorders is { } r)
                {
                    r.Latencies[client].Add(elapsed);
                    if (!ok)
                    {
                        r.Errors[client]++;
                    }
                }
            }
        })));
    }
}
