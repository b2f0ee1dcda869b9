using Cortex.Testing;
using Cortex.Worker;
using Cortex.Worker.Maintenance;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Xunit;

namespace Cortex.Jobs.Tests;

/// <summary>The worker host's wiring: validated settings and the built-in maintenance job.</summary>
public sealed class WorkerHostTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    [Fact]
    public async Task A_missing_connection_string_stops_the_start_naming_the_setting()
    {
        using var host = Build(new() { ["Cortex:Database:ConnectionString"] = null });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Cortex:Database:ConnectionString", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_worker_schedules_and_runs_the_purge_of_old_succeeded_jobs()
    {
        await using var db = await QueueDatabase.CreateAsync(database);
        var old = await db.Queue.EnqueueAsync(new EnqueueRequest("host.other"));
        var lease = Assert.Single(await db.Queue.DequeueAsync("w", ["host.other"], 1, TimeSpan.FromMinutes(1)));
        await db.Queue.CompleteAsync(lease);
        await db.ExecuteAsync($"UPDATE jobs SET finished_at = now() - interval '30 days' WHERE id = {old.JobId}");

        using var host = Build(new()
        {
            ["Cortex:Database:ConnectionString"] = database.ConnectionString,
            ["Cortex:Worker:Maintenance:SucceededRetention"] = "1.00:00:00",
        });
        await host.StartAsync();
        await Eventually.ReturnsAsync(
            () => db.Queue.GetAsync(old.JobId), j => j is null, TimeSpan.FromSeconds(30), "the old job to be purged");
        var purge = await Eventually.ReturnsAsync(
            () => db.ScalarAsync(
                "SELECT count(*) FROM jobs WHERE kind = @k AND state = 'succeeded'", ("k", PurgeFinishedJobsHandler.JobKind)),
            n => n == 1, TimeSpan.FromSeconds(30), "the purge job to be recorded as succeeded");
        await host.StopAsync();

        Assert.Equal(1, purge);
    }

    private static IHost Build(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddLogging();
        builder.AddCortexWorker();
        return builder.Build();
    }
}
