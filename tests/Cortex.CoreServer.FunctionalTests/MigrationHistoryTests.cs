using Cortex.CoreServer.Database;
using Cortex.CoreServer.FunctionalTests.Infrastructure;
using Cortex.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Xunit;

namespace Cortex.CoreServer.FunctionalTests;

/// <summary>
/// The migration history guards: every missing version is applied (also one below the highest applied), an applied
/// script that changed stops the start unless explicitly accepted, and rows written before checksums existed are
/// adopted. The migrator runs in process; the refusal is also checked through the real executable, as operators meet it.
/// </summary>
public sealed class MigrationHistoryTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    private const int WebSessions = 100;

    [Fact]
    public async Task Missing_versions_are_applied_out_of_order_and_edited_ones_refused_unless_accepted()
    {
        Assert.Equal(Migrator.Migrations.Count, await MigrateAsync());
        var initial = Migrator.Migrations[0];
        Assert.Equal(initial.Checksum, await ChecksumAsync(initial.Version));
        Assert.Equal(
            (long)Migrator.Migrations.Count,
            await database.CountAsync("schema_migrations", "checksum IS NOT NULL"));

        // A migration merged late: its version is below the highest applied one, and it must still run.
        await database.ScalarAsync(
            $"""
            DROP TABLE web_sessions;
            ALTER TABLE principals DROP COLUMN password_hash, DROP COLUMN password_changed_at;
            DELETE FROM schema_migrations WHERE version = {WebSessions};
            """);
        Assert.Equal(1, await MigrateAsync());
        Assert.Equal(0L, await database.CountAsync("web_sessions"));

        // An applied script edited afterwards: refused, naming the migration and the override.
        await database.ScalarAsync($"UPDATE schema_migrations SET checksum = 'edited' WHERE version = {initial.Version}");
        var refused = await ServerProcess.RunAsync(database.ConnectionString, "migrate");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains($"{initial.Version:D4}_{initial.Name} changed after", refused.Stderr, StringComparison.Ordinal);
        Assert.Contains($"AcceptEditedMigrations={initial.Version}", refused.Stderr, StringComparison.Ordinal);
        Assert.Contains("refusing to start", refused.Stderr, StringComparison.Ordinal);
        await Assert.ThrowsAsync<MigrationMismatchException>(() => MigrateAsync(accept: "2,3"));

        // runbooks/upgrade.md's override, as typed there: the command-line setting with a zero-padded version.
        var accepted = await ServerProcess.RunAsync(
            database.ConnectionString, "migrate", $"--Cortex:Database:AcceptEditedMigrations={initial.Version:D4}");
        Assert.True(accepted.ExitCode == 0, accepted.Stderr);
        Assert.Contains("0 migration(s) applied", accepted.Stdout, StringComparison.Ordinal);
        Assert.Equal(initial.Checksum, await ChecksumAsync(initial.Version));

        await database.ScalarAsync($"UPDATE schema_migrations SET checksum = 'edited' WHERE version = {initial.Version}");
        Assert.Equal(0, await MigrateAsync(accept: $" {initial.Version} "));
        Assert.Equal(initial.Checksum, await ChecksumAsync(initial.Version));

        // Rows from a server that predates checksums are adopted, not refused.
        await database.ScalarAsync("UPDATE schema_migrations SET checksum = NULL");
        Assert.Equal(0, await MigrateAsync());
        Assert.Equal(initial.Checksum, await ChecksumAsync(initial.Version));
        await Assert.ThrowsAsync<MigrationRefusedException>(() => MigrateAsync(accept: "one"));

        // A version the database ran but this build lacks (another branch's migration) stops the start too.
        await database.ScalarAsync("INSERT INTO schema_migrations (version, name, checksum) VALUES (2, 'other_branch', 'x')");
        var unknown = await Assert.ThrowsAsync<MigrationMismatchException>(() => MigrateAsync());
        Assert.Contains("0002_other_branch", unknown.Message, StringComparison.Ordinal);
        Assert.Contains("does not have", unknown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Checksums_ignore_the_checkout_newline_style_but_not_content() =>
        Assert.Equal(
            (Migrator.Checksum("SELECT 1;\nSELECT 2;\n"), false),
            (Migrator.Checksum("SELECT 1;\r\nSELECT 2;\r\n"), Migrator.Checksum("SELECT 1;\n") == Migrator.Checksum("SELECT 2;\n")));

    private async Task<int> MigrateAsync(string accept = "")
    {
        await using var dataSource = NpgsqlDataSource.Create(database.ConnectionString);
        var options = Options.Create(new DatabaseOptions { ConnectionString = database.ConnectionString, AcceptEditedMigrations = accept });
        return await new Migrator(dataSource, options, NullLogger<Migrator>.Instance).MigrateAsync();
    }

    private async Task<string?> ChecksumAsync(int version) =>
        (string?)await database.ScalarAsync($"SELECT checksum FROM schema_migrations WHERE version = {version}");
}
