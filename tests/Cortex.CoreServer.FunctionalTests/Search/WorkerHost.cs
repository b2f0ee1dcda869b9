using Cortex.Jobs;
using Cortex.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Cortex.CoreServer.FunctionalTests.Search;

/// <summary>The real cortex-worker (its hosting extension, job runner and handlers) in this process, on a test database.</summary>
internal static class WorkerHost
{
    public static async Task<IHost> StartAsync(string connectionString, IDictionary<string, string?>? settings = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Cortex:Database:ConnectionString"] = connectionString,
            ["Cortex:Worker:WorkerId"] = "test-worker-" + Guid.NewGuid().ToString("N")[..6],
            ["Cortex:Worker:PollInterval"] = "00:00:01",
            ["Cortex:Worker:Concurrency"] = "2",
        });
        builder.Configuration.AddInMemoryCollection(settings ?? new Dictionary<string, string?>());
        builder.Services.AddLogging();
        builder.AddCortexWorker();
        var host = builder.Build();
        await host.StartAsync();
        await host.Services.GetRequiredService<JobRunner>().Ready.WaitAsync(TimeSpan.FromSeconds(60));
        return host;
    }

    /// <summary>Polls until <paramref name="condition"/> holds (the worker runs asynchronously); fails after <paramref name="timeout"/>.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out waiting for {what}.");
            }

            await Task.Delay(50);
        }
    }
}
