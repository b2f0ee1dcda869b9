using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Cortex.CoreServer.Commands;
using Cortex.SharedModel.Principals;
using Cortex.Testing;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Cortex.CoreServer.FunctionalTests.Infrastructure;

/// <summary>
/// cortex-server in memory (WebApplicationFactory) on its own fresh Postgres database, with a bootstrapped admin.
/// One per test class (<c>IClassFixture&lt;CortexApp&gt;</c>); subclasses change settings.
/// </summary>
public class CortexApp : IAsyncLifetime
{
    private WebApplicationFactory<Program>? _factory;

    public PostgresDatabase Database { get; } = new();

    /// <summary>The file-system object store's root for this app; deleted with it.</summary>
    public string ObjectStoreRoot { get; } = Path.Combine(Path.GetTempPath(), "cortex-test-objects-" + Guid.NewGuid().ToString("N")[..12]);

    /// <summary>The server's clock; tests move it to expire keys.</summary>
    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public WebApplicationFactory<Program> Factory => _factory ?? throw new InvalidOperationException("Not initialized.");

    public IServiceProvider Services => Factory.Services;

    public string AdminId { get; private set; } = "";

    public string AdminKey { get; private set; } = "";

    public virtual async Task InitializeAsync()
    {
        await Database.InitializeAsync();
        var settings = new Dictionary<string, string?>
        {
            ["Cortex:Database:ConnectionString"] = Database.ConnectionString,
            ["Cortex:ObjectStore:Root"] = ObjectStoreRoot,
        };
        Configure(settings);
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }

            builder.ConfigureServices(services => services.AddSingleton<TimeProvider>(Time));
        });

        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await BootstrapAdminCommand.RunAsync(Services, "admin", "Admin", stdout, stderr);
        Assert.True(exit == 0, stderr.ToString());
        using var json = JsonDocument.Parse(stdout.ToString());
        AdminId = json.RootElement.GetProperty("principalId").GetString()!;
        AdminKey = json.RootElement.GetProperty("key").GetString()!;
    }

    public virtual async Task DisposeAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        await Database.DisposeAsync();
        if (Directory.Exists(ObjectStoreRoot))
        {
            Directory.Delete(ObjectStoreRoot, recursive: true);
        }
    }

    /// <summary>Extra configuration for this app, e.g. lower rate limits.</summary>
    protected virtual void Configure(IDictionary<string, string?> settings)
    {
    }

    public HttpClient Client(string? key = null)
    {
        var client = Factory.CreateClient();
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return client;
    }

    public HttpClient AdminClient() => Client(AdminKey);

    /// <summary>Creates a principal with a key through the API, as the admin.</summary>
    public async Task<TestPrincipal> CreatePrincipalAsync(string handle, Role role)
    {
        using var admin = AdminClient();
        var kind = role == Role.Agent ? "agent" : "human";
        var created = await admin.PostAsJsonAsync(
            "/api/v1/principals", new { handle, displayName = handle, kind, role = role.ToString().ToLowerInvariant() });
        await Expect.Status(created, System.Net.HttpStatusCode.Created);
        var principal = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var keyResponse = await admin.PostAsJsonAsync($"/api/v1/principals/{principal}/keys", new { name = "test" });
        await Expect.Status(keyResponse, System.Net.HttpStatusCode.Created);
        var keyJson = await keyResponse.Content.ReadFromJsonAsync<JsonElement>();
        return new TestPrincipal(
            principal,
            handle,
            keyJson.GetProperty("key").GetString()!,
            keyJson.GetProperty("apiKey").GetProperty("id").GetString()!);
    }
}

public sealed record TestPrincipal(string Id, string Handle, string Key, string KeyId);
