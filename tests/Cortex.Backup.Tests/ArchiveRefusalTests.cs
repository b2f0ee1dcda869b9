using System.Text;
using Cortex.Testing;

namespace Cortex.Backup.Tests;

/// <summary>A corrupted archive and a wrong passphrase are refused with one line, before anything is touched.</summary>
public sealed class ArchiveRefusalTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    [Fact]
    public async Task CorruptedTruncatedOrWronglyUnlockedArchives_AreRefusedWithoutTouchingAnything()
    {
        await using var cortex = await CortexFixture.CreateAsync(database);
        var archive = cortex.ArchivePath("good.tar");
        var created = await cortex.RunAsync("create", "--out", archive, "--passphrase-env", CortexFixture.PassphraseVariable, "--config-dir", cortex.ConfigDirectory);
        Assert.True(created.ExitCode == 0, created.Stderr);
        var countsBefore = await cortex.CountRowsAsync();
        var bytes = await File.ReadAllBytesAsync(archive);

        // One flipped byte inside an object's content.
        var flipped = cortex.ArchivePath("flipped.tar");
        var at = bytes.AsSpan().IndexOf("drill-attachment-payload"u8);
        Assert.True(at > 0);
        var corrupted = (byte[])bytes.Clone();
        corrupted[at + 3] ^= 0x20;
        await File.WriteAllBytesAsync(flipped, corrupted);
        var refused = await cortex.RunAsync("restore", "--in", flipped, "--passphrase-env", CortexFixture.PassphraseVariable, "--force");
        Assert.Equal(ExitCodes.CorruptArchive, refused.ExitCode);
        Assert.Contains("corrupt, nothing was restored", refused.ErrorLine, StringComparison.Ordinal);
        Assert.Contains("objects/sha256/", refused.ErrorLine, StringComparison.Ordinal);

        // Cut short.
        var truncated = cortex.ArchivePath("truncated.tar");
        await File.WriteAllBytesAsync(truncated, bytes.AsSpan(0, bytes.Length / 2).ToArray());
        var cut = await cortex.RunAsync("restore", "--in", truncated, "--passphrase-env", CortexFixture.PassphraseVariable, "--force");
        Assert.Equal(ExitCodes.CorruptArchive, cut.ExitCode);
        Assert.StartsWith("cortex-backup: error:", cut.ErrorLine, StringComparison.Ordinal);

        // Not an archive at all.
        var garbage = cortex.ArchivePath("garbage.tar");
        await File.WriteAllBytesAsync(garbage, Encoding.UTF8.GetBytes(new string('x', 2000)));
        var notTar = await cortex.RunAsync("restore", "--in", garbage, "--passphrase-env", CortexFixture.PassphraseVariable, "--force");
        Assert.Equal(ExitCodes.CorruptArchive, notTar.ExitCode);
        _ = notTar.ErrorLine;

        // The right archive, the wrong passphrase.
        var environment = new Dictionary<string, string>(cortex.Environment) { [CortexFixture.PassphraseVariable] = "Tr0ub4dor&3" };
        var wrong = await CortexFixture.RunAsync(environment, "restore", "--in", archive, "--passphrase-env", CortexFixture.PassphraseVariable, "--force");
        Assert.Equal(ExitCodes.WrongPassphrase, wrong.ExitCode);
        Assert.Contains("wrong passphrase", wrong.ErrorLine, StringComparison.Ordinal);

        // Nothing was touched: same rows, same objects, nothing extra in the store.
        Assert.Equal(countsBefore, await cortex.CountRowsAsync());
        var verified = await cortex.RunAsync("verify");
        Assert.Equal(0, verified.ExitCode);
        Assert.Contains("0 missing, 0 corrupt, 0 orphans", verified.Stdout, StringComparison.Ordinal);
    }
}
