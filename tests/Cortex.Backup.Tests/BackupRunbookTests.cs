using System.Runtime.Versioning;
using Cortex.Testing;

namespace Cortex.Backup.Tests;

/// <summary>
/// runbooks/backup-and-restore.md's tested blocks, run by bash with the built cortex-backup on the PATH (as the
/// runbook's install step puts it there): daily backup, a disk loss, restore and verify.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class BackupRunbookTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    private const string Runbook = "backup-and-restore.md";
    private const string Settings = "Settings (the server's own)";

    [Fact]
    public async Task The_runbook_backs_up_and_after_a_disk_loss_restores_and_verifies()
    {
        await using var cortex = await CortexFixture.CreateAsync(database);
        var countsBefore = await cortex.CountRowsAsync();
        var configBefore = CortexFixture.ReadTree(cortex.ConfigDirectory);
        var environment = OperatorEnvironment(cortex);

        var backedUp = await Testing.Runbook.RunAsync(Runbook, environment, Settings, "Daily backup");
        Assert.True(backedUp.ExitCode == 0, backedUp.Output);
        Assert.Contains("verify: 3 referenced objects checked, 0 missing, 0 corrupt, 0 orphans", backedUp.Output, StringComparison.Ordinal);
        Assert.Contains($"\"schemaVersion\": {CortexFixture.LatestSchemaVersion}", backedUp.Output, StringComparison.Ordinal);
        Assert.Single(Directory.GetFiles(environment["CORTEX_BACKUP_DIR"], "cortex-*.tar"));

        await cortex.DestroyAsync();

        var restored = await Testing.Runbook.RunAsync(
            Runbook, environment, Settings, "Restore (disk loss, or the monthly drill on a scratch host)");
        Assert.True(restored.ExitCode == 0, restored.Output);
        Assert.Contains("verify: 3 referenced objects checked, 0 missing, 0 corrupt, 0 orphans", restored.Output, StringComparison.Ordinal);
        Assert.Equal(countsBefore, await cortex.CountRowsAsync());
        Assert.Equal(configBefore, CortexFixture.ReadTree(cortex.ConfigDirectory));
        await cortex.AssertAttachmentsIntactAsync();
    }

    /// <summary>The server's settings and the passphrase as the runbook expects them, and cortex-backup on the PATH.</summary>
    private static Dictionary<string, string> OperatorEnvironment(CortexFixture cortex)
    {
        var bin = Directory.CreateDirectory(Path.Combine(cortex.Work.FullName, "bin")).FullName;
        var tool = Path.Combine(bin, "cortex-backup");
        File.WriteAllText(tool, $"#!/bin/sh\nexec dotnet '{Path.Combine(AppContext.BaseDirectory, "cortex-backup.dll")}' \"$@\"\n");
        File.SetUnixFileMode(tool, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return new Dictionary<string, string>(cortex.Environment, StringComparer.Ordinal)
        {
            ["PATH"] = bin + ":" + cortex.Environment["PATH"],
            ["CORTEX_CONFIG_DIR"] = cortex.ConfigDirectory,
            ["CORTEX_BACKUP_DIR"] = Directory.CreateDirectory(Path.Combine(cortex.Work.FullName, "backups")).FullName,
        };
    }
}
