using System.Text.Json;
using Cortex.CoreServer.Commands;
using Cortex.CoreServer.Database;
using Cortex.CoreServer.FunctionalTests.Infrastructure;
using Cortex.Testing;
using Xunit;

namespace Cortex.CoreServer.FunctionalTests;

/// <summary>The commands the scripts rely on, run as the real executable against a fresh database.</summary>
public sealed class MigrationsTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    [Fact]
    public async Task Migrate_then_bootstrap_once_then_refuse_a_newer_schema()
    {
        var migrate = await ServerProcess.RunAsync(database.ConnectionString, "migrate");
        Assert.True(migrate.ExitCode == 0, migrate.Stderr);
        Assert.Equal(Migrator.Migrations.Select(m => m.Version), await ReadVersionsAsync());
        var again = await ServerProcess.RunAsync(database.ConnectionString, "migrate");
        Assert.Contains("0 migration(s) applied", again.Stdout, StringComparison.Ordinal);

        var bootstrap = await ServerProcess.RunAsync(database.ConnectionString, "bootstrap-admin", "--handle", "root", "--display-name", "Root");
        Assert.True(bootstrap.ExitCode == 0, bootstrap.Stderr);
        var line = Assert.Single(bootstrap.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        using var json = JsonDocument.Parse(line);
        Assert.Equal(["principalId", "handle", "key"], json.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal("root", json.RootElement.GetProperty("handle").GetString());
        Assert.StartsWith("ctx_", json.RootElement.GetProperty("key").GetString(), StringComparison.Ordinal);
        Assert.Equal(json.RootElement.GetProperty("principalId").GetString(), await database.ScalarAsync("SELECT id FROM principals WHERE role = 'admin'"));

        var second = await ServerProcess.RunAsync(database.ConnectionString, "bootstrap-admin");
        Assert.Equal(BootstrapAdminCommand.ExitAlreadyBootstrapped, second.ExitCode);
        Assert.Equal("", second.Stdout);
        Assert.Contains("already exist", second.Stderr, StringComparison.Ordinal);
        Assert.Equal(1L, await database.CountAsync("principals"));
        Assert.Equal(1L, await database.CountAsync("api_keys"));

        await database.ScalarAsync($"INSERT INTO schema_migrations (version, name) VALUES ({Migrator.LatestVersion + 1}, 'from the future')");
        var refused = await ServerProcess.RunAsync(database.ConnectionString, "migrate");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("newer than this cortex-server", refused.Stderr, StringComparison.Ordinal);
        Assert.Contains("refusing to start", refused.Stderr, StringComparison.Ordinal);
        var serve = await ServerProcess.RunAsync(database.ConnectionString, "--urls", "http://127.0.0.1:0");
        Assert.Equal(1, serve.ExitCode);
        Assert.Contains("refusing to start", serve.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Commands_refuse_to_run_without_a_connection_string_and_name_the_setting()
    {
        var result = await ServerProcess.RunAsync("", "migrate");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Cortex:Database:ConnectionString", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bootstrap_rejects_an_invalid_handle_without_writing()
    {
        var result = await ServerProcess.RunAsync(database.ConnectionString, "bootstrap-admin", "--handle", "Not A Handle");
        Assert.Equal(BootstrapAdminCommand.ExitInvalidArguments, result.ExitCode);
        Assert.Contains("--handle", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Commands_parse_their_options_and_pass_the_rest_to_the_host()
    {
        var bootstrap = CommandLine.Parse(["bootstrap-admin", "--handle", "ops", "--display-name=Ops Team", "--urls", "http://127.0.0.1:1"]);
        Assert.Equal(("bootstrap-admin", "ops", "Ops Team"), (bootstrap.Command, bootstrap.Handle, bootstrap.DisplayName));
        Assert.Equal(["--urls", "http://127.0.0.1:1"], bootstrap.HostArgs);

        var serve = CommandLine.Parse(["--urls", "http://127.0.0.1:1"]);
        Assert.Equal(CommandLine.Serve, serve.Command);
        Assert.Equal(["--urls", "http://127.0.0.1:1"], serve.HostArgs);
        Assert.Equal(CommandLine.Migrate, CommandLine.Parse(["migrate"]).Command);
        Assert.Equal("admin", CommandLine.Parse(["bootstrap-admin"]).Handle);
    }

    private async Task<List<int>> ReadVersionsAsync()
    {
        await using var connection = await database.OpenConnectionAsync();
        await using var command = new Npgsql.NpgsqlCommand("SELECT version FROM schema_migrations ORDER BY version", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var versions = new List<int>();
        while (await reader.ReadAsync())
        {
            versions.Add(reader.GetInt32(0));
        }

        return versions;
    }
}
