using System.Diagnostics;
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

    [Fact]
    public async Task TheExecutable_ReadsItsSettingsFromTheEnvironment()
    {
        await using var cortex = await CortexFixture.CreateAsync(database);
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "cortex-backup.dll"));
        start.ArgumentList.Add("verify");
        foreach (var (name, value) in cortex.Environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, await stderr);
        Assert.Contains("verify: 3 referenced objects checked, 0 missing, 0 corrupt, 0 orphans", await stdout, StringComparison.Ordinal);
    }
}
