using System.Security.Cryptography;
using Cortex.ObjectStore;
using Cortex.Testing;
using Dapper;

namespace Cortex.Backup.Tests;

/// <summary>
/// The restore drill of runbooks/backup-and-restore.md: seed, back up, destroy the database and the object store,
/// restore, verify, and compare counts and content.
/// </summary>
public sealed class RestoreDrillTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    [Fact]
    public async Task BackupDestroyRestoreVerify_BringsBackEveryRowObjectAndSecret()
    {
        await using var cortex = await CortexFixture.CreateAsync(database);
        var countsBefore = await cortex.CountRowsAsync();
        Assert.Equal(2, countsBefore["principals"]);
        Assert.Equal(3, countsBefore["attachments"]);
        var configBefore = ReadTree(cortex.ConfigDirectory);
        var archive = cortex.ArchivePath("cortex-2026-11-27.tar");

        // Daily backup.
        var created = await cortex.RunAsync(
            "create", "--out", archive, "--passphrase-env", CortexFixture.PassphraseVariable, "--config-dir", cortex.ConfigDirectory);
        Assert.True(created.ExitCode == 0, created.Stderr);
        Assert.Contains("3 objects", created.Stdout, StringComparison.Ordinal);
        var (manifest, _) = await BackupArchive.CheckAsync(archive, CancellationToken.None);
        Assert.Equal(CortexFixture.LatestSchemaVersion, manifest.SchemaVersion);
        Assert.Contains(manifest.Entries, e => e.Name == "database.dump" && e.Size > 0);
        foreach (var (sha256, bytes) in cortex.Attachments)
        {
            Assert.Contains(manifest.Entries, e => e.Name == "objects/" + ObjectKey.ForSha256(sha256) && e.Sha256 == sha256 && e.Size == bytes.Length);
        }

        // Disaster: the tables, the objects and the configuration are gone.
        await using (var connection = await database.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("DROP SCHEMA public CASCADE; CREATE SCHEMA public;");
        }

        Directory.Delete(cortex.ObjectRoot, recursive: true);
        Directory.Delete(cortex.ConfigDirectory, recursive: true);
        Assert.Empty(await cortex.CountRowsAsync());

        // Restore drill.
        var restored = await cortex.RunAsync(
            "restore", "--in", archive, "--passphrase-env", CortexFixture.PassphraseVariable, "--config-dir", cortex.ConfigDirectory);
        Assert.True(restored.ExitCode == 0, restored.Stderr);
        Assert.Contains("3 objects", restored.Stdout, StringComparison.Ordinal);

        var verified = await cortex.RunAsync("verify");
        Assert.True(verified.ExitCode == 0, verified.Stdout + verified.Stderr);
        Assert.Contains("verify: 3 referenced objects checked, 0 missing, 0 corrupt, 0 orphans", verified.Stdout, StringComparison.Ordinal);

        Assert.Equal(countsBefore, await cortex.CountRowsAsync());
        await using (var connection = await database.OpenConnectionAsync())
        {
            Assert.Equal(CortexFixture.ThreadBody, await connection.ExecuteScalarAsync<string>(
                "SELECT body FROM threads WHERE id = '01T0000000000000000000000A'"));
            Assert.Equal(CortexFixture.LatestSchemaVersion, await connection.ExecuteScalarAsync<int>("SELECT max(version) FROM schema_migrations"));
            Assert.Equal(1L, await connection.ExecuteScalarAsync<long>(
                "SELECT count(*) FROM threads WHERE search @@ to_tsquery('english', 'disk')"));
        }

        var store = new FileSystemObjectStore(cortex.ObjectRoot, 1024 * 1024);
        foreach (var (sha256, bytes) in cortex.Attachments)
        {
            await using var stream = await store.OpenReadAsync(ObjectKey.ForSha256(sha256));
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy);
            Assert.Equal(bytes, copy.ToArray());
            Assert.Equal(sha256, Convert.ToHexStringLower(SHA256.HashData(copy.ToArray())));
        }

        Assert.Equal(configBefore, ReadTree(cortex.ConfigDirectory));

        // Restoring over the live database again is refused unless forced.
        var again = await cortex.RunAsync("restore", "--in", archive, "--passphrase-env", CortexFixture.PassphraseVariable);
        Assert.Equal(ExitCodes.TargetNotEmpty, again.ExitCode);
        Assert.Contains("--force", again.ErrorLine, StringComparison.Ordinal);

        var forced = await cortex.RunAsync("restore", "--in", archive, "--passphrase-env", CortexFixture.PassphraseVariable, "--force");
        Assert.True(forced.ExitCode == 0, forced.Stderr);
        Assert.Equal(countsBefore, await cortex.CountRowsAsync());
    }

    private static SortedDictionary<string, string> ReadTree(string directory) =>
        new(Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
                .ToDictionary(f => Path.GetRelativePath(directory, f), File.ReadAllText),
            StringComparer.Ordinal);
}
