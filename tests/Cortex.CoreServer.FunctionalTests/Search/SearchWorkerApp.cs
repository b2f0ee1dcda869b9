using Cortex.CoreServer.FunctionalTests.Infrastructure;
using Microsoft.Extensions.Hosting;

namespace Cortex.CoreServer.FunctionalTests.Search;

/// <summary>cortex-server plus a running cortex-worker on the same database: writes get embedded and summarized.</summary>
public sealed class SearchWorkerApp : CortexApp
{
    private IHost? _worker;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _worker = await WorkerHost.StartAsync(Database.ConnectionString);
    }

    public override async Task DisposeAsync()
    {
        if (_worker is not null)
        {
            await _worker.StopAsync();
            _worker.Dispose();
        }

        await base.DisposeAsync();
    }

    /// <summary>Waits until every queued embedding job has run and the items have vectors.</summary>
    public Task WaitForEmbeddingsAsync(params string[] ids) => WorkerHost.WaitUntilAsync(
        async () =>
        {
            var list = string.Join(",", ids.Select(id => $"'{id}'"));
            return (long)(await Database.ScalarAsync(
                       "SELECT count(*) FROM jobs WHERE kind = 'search.embed' AND state IN ('queued', 'running', 'failed')"))! == 0
                && (ids.Length == 0 || await Database.CountAsync("embeddings", $"entity_id IN ({list})") == ids.Length);
        },
        TimeSpan.FromSeconds(120),
        "the worker to embed " + string.Join(", ", ids));
}
