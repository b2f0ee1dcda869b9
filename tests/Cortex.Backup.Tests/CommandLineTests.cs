using Cortex.Testing;

namespace Cortex.Backup.Tests;

/// <summary>Bad input gets one line on stderr and the usage exit code.</summary>
public sealed class CommandLineTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    [Fact]
    public async Task BadCommandLines_GetOneLineAndUsageExitCode()
    {
        await using var cortex = await CortexFixture.CreateAsync(database);
        var noPassphrase = new Dictionary<string, string>(cortex.Environment);
        noPassphrase.Remove(CortexFixture.PassphraseVariable);

        foreach (var result in new[]
                 {
                     await cortex.RunAsync("create", "--passphrase-env", CortexFixture.PassphraseVariable),
                     await cortex.RunAsync("create", "--out", cortex.ArchivePath("x.tar"), "--passphrase-env"),
                     await cortex.RunAsync("frobnicate"),
                     await cortex.RunAsync("verify", "--force"),
                     await CortexFixture.RunAsync(noPassphrase, "create", "--out", cortex.ArchivePath("x.tar"), "--passphrase-env", CortexFixture.PassphraseVariable),
                     await cortex.RunAsync("restore", "--in", cortex.ArchivePath("absent.tar"), "--passphrase-env", CortexFixture.PassphraseVariable),
                 })
        {
            Assert.Equal(ExitCodes.Usage, result.ExitCode);
            Assert.StartsWith("cortex-backup: error:", result.ErrorLine, StringComparison.Ordinal);
        }

        Assert.False(File.Exists(cortex.ArchivePath("x.tar")));
    }
}
