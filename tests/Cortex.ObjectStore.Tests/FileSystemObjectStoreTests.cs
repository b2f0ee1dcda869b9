using Xunit;

namespace Cortex.ObjectStore.Tests;

public sealed class FileSystemObjectStoreTests : ObjectStoreContractTests
{
    private readonly string _sandbox = Path.Combine(Path.GetTempPath(), "cortex-fs-store-" + Guid.NewGuid().ToString("N"));

    private string Root => Path.Combine(_sandbox, "root");

    public override Task DisposeAsync()
    {
        Directory.Delete(_sandbox, recursive: true);
        return base.DisposeAsync();
    }

    [Fact]
    public async Task Hostile_keys_write_nothing_outside_the_root()
    {
        foreach (var key in HostileKeyList)
        {
            await Assert.ThrowsAsync<InvalidObjectKeyException>(() => Store.PutAsync(key, new MemoryStream([1])));
        }

        Assert.Equal([Root], Directory.GetFileSystemEntries(_sandbox));
        Assert.Empty(Directory.GetFiles(_sandbox, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Objects_are_plain_files_under_the_root_and_temporary_files_are_not_listed()
    {
        await Store.PutAsync("a/b", new MemoryStream([7]));
        await File.WriteAllTextAsync(Path.Combine(Root, ".tmp", "crashed-upload"), "partial");

        Assert.Equal([7], await File.ReadAllBytesAsync(Path.Combine(Root, "a", "b")));
        Assert.Equal(["a/b"], await Store.ListAsync().Select(i => i.Key).ToListAsync());
    }

    [Fact]
    public async Task The_file_system_store_lists_in_ordinal_key_order_as_s3_does()
    {
        foreach (var key in new[] { "b/c/d", "a/2", "a-b", "a/1", "ab" })
        {
            await Store.PutAsync(key, new MemoryStream([1]));
        }

        Assert.Equal(["a-b", "a/1", "a/2", "ab", "b/c/d"], await Store.ListAsync().Select(i => i.Key).ToListAsync());
    }

    [Fact]
    public void Temporary_files_a_crash_left_behind_are_deleted_when_a_store_opens_the_root()
    {
        var temp = Path.Combine(Root, ".tmp");
        var stale = Path.Combine(temp, "stale-upload");
        var current = Path.Combine(temp, "upload-in-progress");
        File.WriteAllText(stale, "partial");
        File.SetLastWriteTimeUtc(stale, DateTime.UtcNow.AddDays(-2));
        File.WriteAllText(current, "partial");

        _ = new FileSystemObjectStore(Root, StoreLimitBytes);

        Assert.False(File.Exists(stale));
        Assert.True(File.Exists(current));
    }

    protected override Task<IObjectStore> CreateStoreAsync() =>
        Task.FromResult<IObjectStore>(new FileSystemObjectStore(Root, StoreLimitBytes));

    protected override IEnumerable<string> LeftoverTemporaryFiles() =>
        Directory.GetFiles(Path.Combine(Root, ".tmp"));
}
