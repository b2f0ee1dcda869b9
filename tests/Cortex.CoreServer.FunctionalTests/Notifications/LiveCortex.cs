using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Cortex.CoreServer.Commands;
using Cortex.CoreServer.FunctionalTests.Infrastructure;
using Cortex.CoreServer.Hosting;
using Cortex.Jobs;
using Cortex.SharedModel.Principals;
using Cortex.Testing;
using Cortex.Worker.Notifications;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Xunit;

namespace Cortex.CoreServer.FunctionalTests.Notifications;

/// <summary>
/// The real cortex-server on Kestrel at a loopback port (for real SignalR connections) and, beside it, the worker's job
/// runner with the notification jobs, fast intervals, on one fresh Postgres database per test class.
/// </summary>
public sealed class LiveCortex : IAsyncLifetime
{
    private WebApplication? _server;
    private IHost? _worker;

    public PostgresDatabase Database { get; } = new();

    public string ObjectStoreRoot { get; } = Path.Combine(Path.GetTempPath(), "cortex-live-objects-" + Guid.NewGuid().ToString("N")[..12]);

    public Uri Url { get; } = new($"http://127.0.0.1:{FreePort()}/");

    public string AdminId { get; private set; } = "";

    public string AdminKey { get; private set; } = "";

    public async Task InitializeAsync()
    {
        await Database.InitializeAsync();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.Configuration["Cortex:Database:ConnectionString"] = Database.ConnectionString;
        builder.Configuration["Cortex:ObjectStore:Root"] = ObjectStoreRoot;
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, Url.Port));
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromSeconds(2));
        builder.AddCortexServer();
        _server = builder.Build();
        _server.UseCortexServer();
        await _server.StartAsync();

        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        Assert.True(await BootstrapAdminCommand.RunAsync(_server.Services, "admin", "Admin", stdout, stderr) == 0, stderr.ToString());
        using var json = JsonDocument.Parse(stdout.ToString());
        AdminId = json.RootElement.GetProperty("principalId").GetString()!;
        AdminKey = json.RootElement.GetProperty("key").GetString()!;

        // The worker's notification jobs on a real JobRunner (without the embedder, whose model these tests do not need).
        var worker = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        worker.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Cortex:Worker:PollInterval"] = "00:00:01",
            ["Cortex:Worker:RetryBaseDelay"] = "00:00:00.100",
            ["Cortex:Worker:Notifications:FeedPollInterval"] = "00:00:00.050",
            ["Cortex:Worker:Notifications:ReminderInterval"] = "00:00:00.200",
            ["Cortex:Worker:Notifications:ReviewDueAfter"] = "01:00:00",
            ["Cortex:Worker:Notifications:DueSoonWithin"] = "1.00:00:00",
        });
        worker.Services.AddLogging();
        worker.Services.AddSingleton(NpgsqlDataSource.Create(Database.ConnectionString));
        worker.AddCortexJobRunner();
        worker.Services.AddNotificationJobs();
        _worker = worker.Build();
        await _worker.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_worker is not null)
        {
            await _worker.StopAsync();
            _worker.Dispose();
        }

        if (_server is not null)
        {
            try
            {
                await _server.StopAsync();
            }
            catch (OperationCanceledException)
            {
                // Open hub connections cut the stop short; the host is disposed anyway.
            }

            await _server.DisposeAsync();
        }

        await Database.DisposeAsync();
        if (Directory.Exists(ObjectStoreRoot))
        {
            Directory.Delete(ObjectStoreRoot, recursive: true);
        }
    }

    public HttpClient Client(string key)
    {
        var client = new HttpClient { BaseAddress = Url };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    public HttpClient AdminClient() => Client(AdminKey);

    public async Task<TestPrincipal> CreatePrincipalAsync(string handle, Role role)
    {
        using var admin = AdminClient();
        var created = await Expect.Json(
            await admin.PostAsJsonAsync(
                "/api/v1/principals",
                new { handle, displayName = handle, kind = role == Role.Agent ? "agent" : "human", role = role.ToString().ToLowerInvariant() }),
            HttpStatusCode.Created);
        var id = created.GetProperty("id").GetString()!;
        var key = await Expect.Json(await admin.PostAsJsonAsync($"/api/v1/principals/{id}/keys", new { name = "live" }), HttpStatusCode.Created);
        return new TestPrincipal(id, handle, key.GetProperty("key").GetString()!, key.GetProperty("apiKey").GetProperty("id").GetString()!);
    }

    /// <summary>A started connection to the notifications hub, authenticated by <paramref name="key"/>.</summary>
    public async Task<HubConnection> ConnectAsync(string key, Action<JsonElement> onNotification)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(Url, "/hubs/notifications"), options => options.Headers["Authorization"] = "Bearer " + key)
            .Build();
        connection.On<JsonElement>("notification", onNotification);
        await connection.StartAsync();
        return connection;
    }

    /// <summary>
    /// Waits until the fan-out has read the feed up to its current head and run every job it enqueued: after this,
    /// every notification the writes so far cause exists (a condition, not a guessed delay).
    /// </summary>
    public async Task SettledAsync()
    {
        var head = await ScalarAsync<long>("SELECT position FROM feed_head WHERE id = 1");
        await EventuallyAsync(
            async () => await ScalarAsync<long>("SELECT position FROM notification_fanout_cursor WHERE id = 1") >= head
                && await ScalarAsync<long>($"SELECT count(*) FROM jobs WHERE kind = '{FanoutHandler.JobKind}' AND state <> 'succeeded'") == 0,
            "the notification fan-out to catch up with the feed");
    }

    /// <summary>Waits for <paramref name="runs"/> more successful runs of the reminders job.</summary>
    public async Task RemindersRanAsync(int runs)
    {
        const string sql = $"SELECT count(*) FROM jobs WHERE kind = '{RemindersHandler.JobKind}' AND state = 'succeeded'";
        var start = await ScalarAsync<long>(sql);
        await EventuallyAsync(async () => await ScalarAsync<long>(sql) >= start + runs, $"{runs} more runs of the reminders job");
    }

    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = await Database.OpenConnectionAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)Convert.ChangeType((await command.ExecuteScalarAsync())!, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, $"Timed out waiting for {what}.");
            await Task.Delay(20);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
