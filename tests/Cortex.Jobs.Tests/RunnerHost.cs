using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace Cortex.Jobs.Tests;

/// <summary>A host running one <see cref="JobRunner"/> in this process, with a scripted handler.</summary>
internal static class RunnerHost
{
    public static async Task<IHost> StartAsync(
        string connectionString, HandlerScript script, Dictionary<string, string?>? settings = null,
        RetryBackoff? backoff = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Cortex:Worker:WorkerId"] = "in-process",
            ["Cortex:Worker:PollInterval"] = "00:00:01",
        });
        builder.Configuration.AddInMemoryCollection(settings ?? []);
        builder.Services.AddLogging();
        builder.Services.AddSingleton(_ => NpgsqlDataSource.Create(connectionString));
        builder.Services.AddSingleton(script);
        if (backoff is not null)
        {
            builder.Services.AddSingleton(backoff);
        }

        builder.AddCortexJobRunner();
        builder.Services.AddJobHandler<ScriptedHandler>();
        var host = builder.Build();
        await host.StartAsync();
        await host.Services.GetRequiredService<JobRunner>().Ready.WaitAsync(TimeSpan.FromSeconds(30));
        return host;
    }
}
