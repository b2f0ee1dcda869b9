using System.Security.Cryptography;
using System.Text;
using Xunit;

namespace Cortex.ObjectStore.Tests;

/// <summary>The behaviour every <see cref="IObjectStore"/> promises, run against each implementation.</summary>
public abstract class ObjectStoreContractTests : IAsyncLifetime
{
    private const long LargeObjectBytes = 200L * 1024 * 1024;

    protected const long StoreLimitBytes = 256L * 1024 * 1024;

    private IObjectStore? _store;

    protected IObjectStore Store => _store ?? throw new InvalidOperationException("Not initialized.");

    public static TheoryData<string> HostileKeys => new(HostileKeyList);

    protected static string[] HostileKeyList =>
    [
        "../escape", "a/../../escape", "a/..", "..", ".", "a/./b", "/etc/passwd", "a\\b", "..\\escape", "a\0b",
        "a\nb", string.Empty, "a//b", "a/", ".hidden", "C:/windows", "%2e%2e/escape", "a b", "ü",
        new string('a', ObjectKey.MaxLength + 1),
    ];

    public async Task InitializeAsync() => _store = await CreateStoreAsync();

    public virtual Task DisposeAsync()
    {
        (_store as IDisposable)?.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Put_then_read_returns_the_same_bytes_and_reports_size_hash_and_type()
    {
        var bytes = Encoding.UTF8.GetBytes("{\"hello\": \"world\"}");

        var stored = await Store.PutAsync("docs/hello.json", new MemoryStream(bytes));

        Assert.Equal(new StoredObject("docs/hello.json", bytes.Length, Sha256(bytes), ContentSniffer.Json, false), stored);
        Assert.Equal(bytes, await ReadAllAsync("docs/hello.json"));
        var info = await Store.StatAsync("docs/hello.json");
        Assert.Equal(bytes.Length, info.Size);
        Assert.True(await Store.ExistsAsync("docs/hello.json"));
    }

    [Fact]
    public async Task Put_replaces_an_existing_object()
    {
        await Store.PutAsync("k", new MemoryStream(GeneratedContent.Bytes(5000, 1)));
        var second = GeneratedContent.Bytes(300, 2);

        await Store.PutAsync("k", new MemoryStream(second));

        Assert.Equal(second, await ReadAllAsync("k"));
        Assert.Equal(300, (await Store.StatAsync("k")).Size);
    }

    [Fact]
    public async Task An_empty_object_round_trips()
    {
        var stored = await Store.PutAsync("empty", new MemoryStream());

        Assert.Equal(0, stored.Size);
        Assert.Equal(Sha256([]), stored.Sha256);
        Assert.Empty(await ReadAllAsync("empty"));
    }

    [Fact]
    public async Task A_large_object_streams_through_in_both_directions_without_being_held_in_memory()
    {
        StoredObject stored;
        string uploadedSha;
        long uploadGrowth;
        await using (var watch = MemoryWatch.Start())
        {
            using var content = new GeneratedContent(LargeObjectBytes, 42);
            stored = await Store.PutContentAddressedAsync(content);
            uploadedSha = content.Sha256;
            uploadGrowth = watch.PeakGrowthBytes;
        }

        long downloaded = 0;
        long downloadGrowth;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using (var watch = MemoryWatch.Start())
        {
            await using var stream = await Store.OpenReadAsync(stored.Key);
            var buffer = new byte[81920];
            int read;
            while ((read = await stream.ReadAsync(buffer)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                downloaded += read;
            }

            downloadGrowth = watch.PeakGrowthBytes;
        }

        Assert.Equal(LargeObjectBytes, stored.Size);
        Assert.Equal(uploadedSha, stored.Sha256);
        Assert.Equal(ObjectKey.ForSha256(uploadedSha), stored.Key);
        Assert.Equal(LargeObjectBytes, downloaded);
        Assert.Equal(uploadedSha, Convert.ToHexStringLower(hash.GetHashAndReset()));
        Assert.True(uploadGrowth < LargeObjectBytes / 4, $"Upload grew memory by {uploadGrowth} bytes.");
        Assert.True(downloadGrowth < LargeObjectBytes / 4, $"Download grew memory by {downloadGrowth} bytes.");
    }

    [Fact]
    public async Task Content_addressed_puts_are_keyed_by_sha256_and_deduplicated()
    {
        var bytes = GeneratedContent.Bytes(70_000, 7);

        var first = await Store.PutContentAddressedAsync(new MemoryStream(bytes));
        var second = await Store.PutContentAddressedAsync(new MemoryStream(bytes));

        Assert.Equal($"sha256/{Sha256(bytes)[..2]}/{Sha256(bytes)[2..]}", first.Key);
        Assert.False(first.AlreadyExisted);
        Assert.True(second.AlreadyExisted);
        Assert.Equal(first.Key, second.Key);
        Assert.Equal(Sha256(bytes), ObjectKey.TryGetSha256(first.Key));
        Assert.Equal([first.Key], await KeysAsync(ObjectKey.Sha256Prefix));
        Assert.Equal(bytes, await ReadAllAsync(first.Key));
        Assert.Empty(LeftoverTemporaryFiles());
    }

    [Fact]
    public async Task Content_over_the_limit_is_refused_and_nothing_is_left_behind()
    {
        const int limit = 1024 * 1024;

        var keyed = await Assert.ThrowsAsync<ObjectTooLargeException>(() => Store.PutAsync(
            "too/big", new GeneratedContent(limit + 1, 3), new ObjectPutOptions { MaxBytes = limit }));
        var addressed = await Assert.ThrowsAsync<ObjectTooLargeException>(() => Store.PutContentAddressedAsync(
            new GeneratedContent(limit + 1, 3), new ObjectPutOptions { MaxBytes = limit }));
        var atLimit = await Store.PutAsync(
            "exactly/at-limit", new GeneratedContent(limit, 3), new ObjectPutOptions { MaxBytes = limit });

        Assert.Equal(limit, keyed.LimitBytes);
        Assert.Equal(limit, addressed.LimitBytes);
        Assert.False(await Store.ExistsAsync("too/big"));
        Assert.Equal(["exactly/at-limit"], await KeysAsync(string.Empty));
        Assert.Equal(limit, atLimit.Size);
        Assert.Empty(LeftoverTemporaryFiles());
    }

    [Fact]
    public async Task The_store_limit_caps_a_larger_per_call_limit()
    {
        await Assert.ThrowsAsync<ObjectTooLargeException>(() => Store.PutAsync(
            "over-store-limit", new GeneratedContent(StoreLimitBytes + 1, 4),
            new ObjectPutOptions { MaxBytes = StoreLimitBytes * 2 }));

        Assert.Empty(await KeysAsync(string.Empty));
        Assert.Empty(LeftoverTemporaryFiles());
    }

    [Theory]
    [MemberData(nameof(HostileKeys))]
    public async Task Hostile_keys_are_rejected_by_every_operation(string key)
    {
        await Assert.ThrowsAsync<InvalidObjectKeyException>(() => Store.PutAsync(key, new MemoryStream([1, 2, 3])));
        await Assert.ThrowsAsync<InvalidObjectKeyException>(() => Store.OpenReadAsync(key));
        await Assert.ThrowsAsync<InvalidObjectKeyException>(() => Store.StatAsync(key));
        await Assert.ThrowsAsync<InvalidObjectKeyException>(() => Store.ExistsAsync(key));
        await Assert.ThrowsAsync<InvalidObjectKeyException>(() => Store.DeleteAsync(key));

        Assert.Empty(await KeysAsync(string.Empty));
    }

    [Fact]
    public async Task A_missing_object_is_a_clear_not_found()
    {
        var read = await Assert.ThrowsAsync<ObjectNotFoundException>(() => Store.OpenReadAsync("no/such/object"));
        var stat = await Assert.ThrowsAsync<ObjectNotFoundException>(() => Store.StatAsync("no/such/object"));

        Assert.Equal("no/such/object", read.Key);
        Assert.Equal("no/such/object", stat.Key);
        Assert.Contains("no/such/object", read.Message, StringComparison.Ordinal);
        Assert.False(await Store.ExistsAsync("no/such/object"));
        await Store.DeleteAsync("no/such/object");
    }

    [Fact]
    public async Task Delete_removes_the_object()
    {
        await Store.PutAsync("gone/soon", new MemoryStream([1]));

        await Store.DeleteAsync("gone/soon");

        Assert.False(await Store.ExistsAsync("gone/soon"));
        await Assert.ThrowsAsync<ObjectNotFoundException>(() => Store.OpenReadAsync("gone/soon"));
    }

    [Fact]
    public async Task List_returns_the_keys_under_a_prefix()
    {
        foreach (var key in new[] { "b/c/d", "a/2", "a-b", "a/1", "ab" })
        {
            await Store.PutAsync(key, new MemoryStream([1, 2]));
        }

        Assert.Equal(["a-b", "a/1", "a/2", "ab", "b/c/d"], await KeysAsync(string.Empty));
        Assert.Equal(["a/1", "a/2"], await KeysAsync("a/"));
        Assert.Equal(["a-b", "a/1", "a/2", "ab"], await KeysAsync("a"));
        Assert.Equal(["b/c/d"], await KeysAsync("b/c"));
        Assert.Empty(await KeysAsync("zzz/"));
        Assert.All(await Store.ListAsync("a/").ToListAsync(), info => Assert.Equal(2, info.Size));
    }

    [Fact]
    public async Task A_reader_may_stop_early_and_the_store_keeps_working()
    {
        var bytes = GeneratedContent.Bytes(3 * 1024 * 1024, 9);
        await Store.PutAsync("partial", new MemoryStream(bytes));

        await using (var stream = await Store.OpenReadAsync("partial"))
        {
            var head = new byte[10];
            await stream.ReadExactlyAsync(head);
            Assert.Equal(bytes[..10], head);
        }

        Assert.Equal(bytes, await ReadAllAsync("partial"));
    }

    protected abstract Task<IObjectStore> CreateStoreAsync();

    /// <summary>Temporary files the implementation made and should have removed.</summary>
    protected abstract IEnumerable<string> LeftoverTemporaryFiles();

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private async Task<byte[]> ReadAllAsync(string key)
    {
        await using var stream = await Store.OpenReadAsync(key);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    private async Task<List<string>> KeysAsync(string prefix) =>
        await Store.ListAsync(prefix).Select(info => info.Key).OrderBy(key => key, StringComparer.Ordinal).ToListAsync();
}
