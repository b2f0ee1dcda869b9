using Cortex.Api.Bench;

// Loopback load run against a running core-server: create-thread then get-thread, each for a
// bounded time at a fixed number of concurrent clients. Usage:
//   cortex-api-bench --url http://127.0.0.1:5080 --key ctx_... [--clients 32] [--seconds 20]
var options = BenchOptions.Parse(args);
if (options is null)
{
    Console.Error.WriteLine("usage: Cortex.Api.Bench --url URL --key KEY [--clients N] [--seconds S]");
    return 2;
}

using var api = new CortexApiClient(options.Url, options.Key, options.Clients);
var slug = await api.CreateSubcortexAsync().ConfigureAwait(false);

var create = await LoadRun.RunAsync("create-thread", options, (client, i) => api.CreateThreadAsync(slug, i)).ConfigureAwait(false);
var threadIds = api.CreatedThreadIds;
if (threadIds.Count == 0)
{
    Console.Error.WriteLine("no thread was created; cannot run get-thread");
    return 1;
}
var get = await LoadRun.RunAsync("get-thread", options, (client, i) => api.GetThreadAsync(threadIds[i % threadIds.Count])).ConfigureAwait(false);

Console.WriteLine();
Console.WriteLine(LoadResult.TableHeader);
Console.WriteLine(create.ToTableRow());
Console.WriteLine(get.ToTableRow());
Console.WriteLine();
Console.WriteLine($"goal get-thread: p95 < 10 ms -> {(get.P95Ms < 10 ? "met" : "missed")}; >= 3000 req/s -> {(get.RequestsPerSecond >= 3000 ? "met" : "missed")}; errors = 0 -> {(get.Errors == 0 ? "met" : "missed")}");
return create.Errors + get.Errors == 0 ? 0 : 1;
