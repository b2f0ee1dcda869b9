using Cortex.ObjectStore;
using Cortex.Testing;

namespace Cortex.Backup.Tests;

/// <summary>verify finds missing and corrupt objects (exit 1) and lists orphans (not an error on their own).</summary>
public sealed class VerifyTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    [Fact]
    public async Task Verify_ReportsMissingCorruptAndOrphanObjects()
    {
        await using var cortex = await CortexFixture.CreateAsync(database);
        var healthy = await cortex.RunAsync("verify");
        Assert.Equal(ExitCodes.Ok, healthy.ExitCode);

        var orphan = await cortex.Store.PutContentAddressedAsync(new MemoryStream("nobody points at me"u8.ToArray()));
        var orphaned = await cortex.RunAsync("verify");
        Assert.Equal(ExitCodes.Ok, orphaned.ExitCode);
        Assert.Contains($"ORPHAN {orphan.Key}", orphaned.Stdout, StringComparison.Ordinal);
        Assert.Contains("0 missing, 0 corrupt, 1 orphans", orphaned.Stdout, StringComparison.Ordinal);

        var keys = cortex.Attachments.Keys.Order(StringComparer.Ordinal).Select(ObjectKey.ForSha256).ToList();
        await cortex.Store.DeleteAsync(keys[0]);
        var corruptPath = Path.Combine(cortex.ObjectRoot, keys[1]);
        var bytes = await File.ReadAllBytesAsync(corruptPath);
        bytes[^1] ^= 0xFF;
        await File.WriteAllBytesAsync(corruptPath, bytes);

        var broken = await cortex.RunAsync("verify");
        Assert.Equal(ExitCodes.VerifyFailed, broken.ExitCode);
        Assert.Contains($"MISSING {keys[0]}", broken.Stdout, StringComparison.Ordinal);
        Assert.Contains($"CORRUPT {keys[1]}", broken.Stdout, StringComparison.Ordinal);
        Assert.Contains($"ORPHAN {orphan.Key}", broken.Stdout, StringComparison.Ordinal);
        Assert.Contains("verify: 3 referenced objects checked, 1 missing, 1 corrupt, 1 orphans", broken.Stdout, StringComparison.Ordinal);
    }
}
