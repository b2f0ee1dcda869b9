using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Cortex.Testing;

namespace Cortex.ScaleOut.Tests.Infrastructure;

/// <summary>
/// Two cortex-server processes sharing one Postgres database and the SignalR Redis backplane (Debian's redis-server on
/// a free loopback port), configured through the environment as in docker-compose. The key cache is kept for an
/// hour, so anything that works across instances sooner than that is the broadcast, not the TTL.
/// </summary>
public sealed class ScaleOutCluster : IAsyncLifetime
{
    /// <summary>The test classes share one cluster: starting Redis and two servers costs seconds.</summary>
    public const string Collection = "scale-out cluster";

    private ChildProcess? _redis;

    public PostgresDatabase Database { get; } = new();

    public string ObjectStoreRoot { get; } = Path.Combine(Path.GetTempPath(), "cortex-scaleout-objects-" + Guid.NewGuid().ToString("N")[..12]);

    public int RedisPort { get; } = FreePort.Next();

    internal ServerInstance A { get; private set; } = null!;

    internal ServerInstance B { get; private set; } = null!;

    public string AdminId { get; private set; } = "";

    public string AdminKey { get; private set; } = "";

    public async Task InitializeAsync()
    {
        try
        {
            await StartAsync();
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    private async Task StartAsync()
    {
        await Database.InitializeAsync();
        var redis = new ProcessStartInfo("redis-server");
        foreach (var arg in new[] { "--port", RedisPort.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no" })
        {
            redis.ArgumentList.Add(arg);
        }

        _redis = await ChildProcess.StartAsync(redis, "Ready to accept connections", "redis-server");

        // Migrate and create the admin once, as the compose file's one-off `migrate` would, before the instances start.
        var (exit, stdout, stderr) = await RunServerCommandAsync("bootstrap-admin");
        Assert.True(exit == 0, stderr);
        using (var json = JsonDocument.Parse(stdout))
        {
            AdminId = json.RootElement.GetProperty("principalId").GetString()!;
            AdminKey = json.RootElement.GetProperty("key").GetString()!;
        }

        Task<ServerInstance>[] starting = [StartInstanceAsync("A"), StartInstanceAsync("B")];
        try
        {
            await Task.WhenAll(starting);
        }
        finally
        {
            // Whichever started is disposed with the cluster, also when the other failed.
            A = starting[0].IsCompletedSuccessfully ? starting[0].Result : null!;
            B = starting[1].IsCompletedSuccessfully ? starting[1].Result : null!;
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var disposable in new IAsyncDisposable?[] { A, B, _redis })
        {
            if (disposable is not null)
            {
                await disposable.DisposeAsync();
            }
        }

        await Database.DisposeAsync();
        if (Directory.Exists(ObjectStoreRoot))
        {
            Directory.Delete(ObjectStoreRoot, recursive: true);
        }
    }

    internal ProcessStartInfo Configure(ProcessStartInfo start)
    {
        start.Environment["Cortex__Database__ConnectionString"] = Database.ConnectionString;
        start.Environment["Cortex__ObjectStore__Root"] = ObjectStoreRoot;
        start.Environment["Cortex__Redis__ConnectionString"] = $"127.0.0.1:{RedisPort}";
        start.Environment["Cortex__Auth__KeyCacheSeconds"] = "3600";
        start.Environment["Cortex__RateLimits__TokenLimit"] = "1000000";
        start.Environment["Cortex__RateLimits__TokensPerPeriod"] = "1000000";
        return start;
    }

    /// <summary>A cortex-worker process on the cluster's database, ready once its job runner says so; dispose to stop it.</summary>
    internal Task<ChildProcess> StartWorkerAsync(string workerId, bool testHandlers = false)
    {
        var start = Configure(ChildProcess.Dotnet("cortex-worker.dll"));
        start.Environment["Cortex__Worker__WorkerId"] = workerId;
        start.Environment["Cortex__Worker__Concurrency"] = "4";
        start.Environment["Cortex__Worker__LeaseDuration"] = "00:00:15";
        start.Environment["Cortex__Worker__PollInterval"] = "00:00:01";
        start.Environment["Cortex__Worker__EnableTestHandlers"] = testHandlers ? "true" : "false";
        return ChildProcess.StartAsync(start, $"Job runner {workerId} is ready", workerId);
    }

    private async Task<(int ExitCode, string Stdout, string Stderr)> RunServerCommandAsync(params string[] args)
    {
        var start = Configure(ChildProcess.Dotnet("cortex-server.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return (process.ExitCode, await stdout, await stderr);
    }

    private async Task<ServerInstance> StartInstanceAsync(string name)
    {
        var port = FreePort.Next();
        var start = Configure(ChildProcess.Dotnet("cortex-server.dll"));
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        var process = await ChildProcess.StartAsync(start, "Now listening on:", $"cortex-server {name}");
        return new ServerInstance(name, port, process);
    }
}

[CollectionDefinition(ScaleOutCluster.Collection)]
public sealed class ScaleOutClusterCollection : ICollectionFixture<ScaleOutCluster>;
