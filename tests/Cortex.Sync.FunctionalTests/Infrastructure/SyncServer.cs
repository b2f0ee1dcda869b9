using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Cortex.CoreServer.Commands;
using Cortex.CoreServer.Hosting;
using Cortex.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cortex.Sync.FunctionalTests.Infrastructure;

/// <summary>
/// The real cortex-server (same wiring as its Program) on Kestrel at a fixed loopback port, on its own Postgres
/// database. It can be stopped and started again on the same port, which is what outage tests need.
/// </summary>
public sealed class SyncServer : IAsyncLifetime
{
    private WebApplication? _app;

    public PostgresDatabase Database { get; } = new();

    public string ObjectStoreRoot { get; } = Path.Combine(Path.GetTempPath(), "cortex-sync-objects-" + Guid.NewGuid().ToString("N")[..12]);

    public int Port { get; } = FreePort();

    public Uri Url => new($"http://127.0.0.1:{Port}/");

    public string AdminId { get; private set; } = "";

    public string AdminKey { get; private set; } = "";

    public bool IsRunning => _app is not null;

    internal IServiceProvider Services => _app?.Services ?? throw new InvalidOperationException("The server is stopped.");

    public async Task InitializeAsync()
    {
        await Database.InitializeAsync();
        await StartAsync();
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await BootstrapAdminCommand.RunAsync(Services, "admin", "Admin", stdout, stderr);
        Assert.True(exit == 0, stderr.ToString());
        using var json = JsonDocument.Parse(stdout.ToString());
        AdminId = json.RootElement.GetProperty("principalId").GetString()!;
        AdminKey = json.RootElement.GetProperty("key").GetString()!;
    }

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.Configuration["Cortex:Database:ConnectionString"] = Database.ConnectionString;
        builder.Configuration["Cortex:ObjectStore:Root"] = ObjectStoreRoot;
        builder.Configuration["Cortex:RateLimits:TokenLimit"] = "1000000";
        builder.Configuration["Cortex:RateLimits:TokensPerPeriod"] = "1000000";
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, Port));
        // Open hub connections would otherwise hold a stop for the default 30 s.
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromSeconds(2));
        builder.AddCortexServer();
        var app = builder.Build();
        app.UseCortexServer();
        await app.StartAsync();
        _app = app;
    }

    public async Task StopAsync()
    {
        if (_app is { } app)
        {
            _app = null;
            try
            {
                await app.StopAsync();
            }
            catch (OperationCanceledException)
            {
                // The shutdown timeout cut the stop short: to the replicas that is a crashed server, which these
                // outage tests are about; the next StartAsync builds a new host on the same database and port.
            }

            await app.DisposeAsync();
        }
    }

    public async Task DisposeAsync()
    {
        await StopAsync();
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

    public async Task<TestPrincipal> CreatePrincipalAsync(string handle, string role)
    {
        using var admin = Client(AdminKey);
        var created = await Ok(await admin.PostAsJsonAsync(
            "/api/v1/principals", new { handle, displayName = handle, kind = role == "agent" ? "agent" : "human", role }));
        var id = created.GetProperty("id").GetString()!;
        var key = await Ok(await admin.PostAsJsonAsync($"/api/v1/principals/{id}/keys", new { name = "sync-test" }));
        return new TestPrincipal(id, handle, key.GetProperty("key").GetString()!);
    }

    public async Task<JsonElement> CreateSubcortexAsync(string key, string slug, bool isPrivate = false)
    {
        using var client = Client(key);
        return await Ok(await client.PostAsJsonAsync("/api/v1/subcortexes", new { slug, name = slug, description = "", isPrivate }));
    }

    public async Task<string> CreateThreadAsync(string key, string slug, string title, string body = "body")
    {
        using var client = Client(key);
        var thread = await Ok(await client.PostAsJsonAsync($"/api/v1/subcortexes/{slug}/threads", new { title, body }));
        return thread.GetProperty("id").GetString()!;
    }

    public static async Task<JsonElement> Ok(HttpResponseMessage response)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
            return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
        }
    }

    public async Task<long> ScalarAsync(string sql, object? parameters = null)
    {
        await using var connection = await Database.OpenConnectionAsync();
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        if (parameters is not null)
        {
            foreach (var property in parameters.GetType().GetProperties())
            {
                command.Parameters.AddWithValue(property.Name, property.GetValue(parameters)!);
            }
        }

        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

public sealed record TestPrincipal(string Id, string Handle, string Key);
