using Cortex.ObjectStore;
using Cortex.Testing;
using Dapper;

namespace Cortex.Backup.Tests;

/// <summary>
/// The restore drill of runbooks/backup-and-restore.md: seed, back up, destroy the database and the object store,
/// restore, verify, and compare counts and content — with the embedded file-system store and with S3 (s3rver in
/// MinIO's place, as in docker-compose.yml).
/// </summary>
public sealed class RestoreDrillTests(PostgresDatabase database, S3rverFixture s3rver)
    : IClassFixture<PostgresDatabase>, IClassFixture<S3rverFixture>
{
    [Fact]
    public async Task BackupDestroyRestoreVerify_BringsBackEveryRowObjectAndSecret()
    {
        await using var cortex = await CortexFixture.CreateAsync(database);
        await DrillAsync(cortex);
    }

    [Fact]
    public async Task BackupDestroyRestoreVerify_OnAnS3ObjectStore()
    {
        await using var cortex = await CortexFixture.CreateAsync(database, s3rver);
        await DrillAsync(cortex);
    }

    private async Task DrillAsync(CortexFixture cortex)
    {
        var countsBefore = await cortex.CountRowsAsync();
        Assert.Equal(2, countsBefore["principals"]);
        Assert.Equal(3, countsBefore["attachments"]);
        var configBefore = CortexFixture.ReadTree(cortex.ConfigDirectory);
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
        await cortex.DestroyAsync();

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

        await cortex.AssertAttachmentsIntactAsync();

        Assert.Equal(configBefore, CortexFixture.ReadTree(cortex.ConfigDirectory));

        // Restoring over the live database again is refused unless forced.
        var again = await cortex.RunAsync("restore", "--in", archive, "--passphrase-env", CortexFixture.PassphraseVariable);
        Assert.Equal(ExitCodes.TargetNotEmpty, again.ExitCode);
        Assert.Contains("--force", again.ErrorLine, StringComparison.Ordinal);

        var forced = await cortex.RunAsync("restore", "--in", archive, "--passphrase-env", CortexFixture.PassphraseVariable, "--force");
        Assert.True(forced.ExitCode == 0, forced.Stderr);
        Assert.Equal(countsBefore, await cortex.CountRowsAsync());
    }
}
