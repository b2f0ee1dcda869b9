using Cortex.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Cortex.ObjectStore.Tests;

public sealed class S3ObjectStoreTests(S3rverFixture s3rver) : ObjectStoreContractTests, IClassFixture<S3rverFixture>
{
    private readonly string _spool = Path.Combine(Path.GetTempPath(), "cortex-s3-spool-" + Guid.NewGuid().ToString("N"));

    public override Task DisposeAsync()
    {
        Directory.Delete(_spool, recursive: true);
        return base.DisposeAsync();
    }

    [Fact]
    public async Task The_bucket_is_created_when_missing_and_reused_by_a_second_store()
    {
        var bucket = NewBucketName();
        using (var first = new S3ObjectStore(s3rver.Options(bucket, _spool), StoreLimitBytes, NullLogger<S3ObjectStore>.Instance))
        {
            await first.PutAsync("x", new MemoryStream([1, 2, 3]));
        }

        using var second = new S3ObjectStore(s3rver.Options(bucket, _spool), StoreLimitBytes, NullLogger<S3ObjectStore>.Instance);
        Assert.Equal(3, (await second.StatAsync("x")).Size);
    }

    [Fact]
    public async Task A_refused_credential_is_an_access_denied_failure_for_every_operation()
    {
        var bucket = NewBucketName();
        using (var owner = new S3ObjectStore(s3rver.Options(bucket, _spool), StoreLimitBytes, NullLogger<S3ObjectStore>.Instance))
        {
            await owner.PutAsync("kept", new MemoryStream([1, 2, 3]));
        }

        using var rotatedAway = new S3ObjectStore(
            s3rver.Options(bucket, _spool, accessKey: "ROTATEDAWAY"), StoreLimitBytes, NullLogger<S3ObjectStore>.Instance);
        await Assert.ThrowsAsync<ObjectAccessDeniedException>(() => rotatedAway.PutAsync("new", new MemoryStream([4])));
        await Assert.ThrowsAsync<ObjectAccessDeniedException>(() => rotatedAway.StatAsync("kept"));
        await Assert.ThrowsAsync<ObjectAccessDeniedException>(() => rotatedAway.ExistsAsync("kept"));
        await Assert.ThrowsAsync<ObjectAccessDeniedException>(() => rotatedAway.OpenReadAsync("kept"));
        await Assert.ThrowsAsync<ObjectAccessDeniedException>(() => rotatedAway.DeleteAsync("kept"));
        await Assert.ThrowsAsync<ObjectAccessDeniedException>(async () => await rotatedAway.ListAsync().ToListAsync());
    }

    protected override Task<IObjectStore> CreateStoreAsync() => Task.FromResult<IObjectStore>(
        new S3ObjectStore(s3rver.Options(NewBucketName(), _spool), StoreLimitBytes, NullLogger<S3ObjectStore>.Instance));

    protected override IEnumerable<string> LeftoverTemporaryFiles() => Directory.GetFiles(_spool);

    private static string NewBucketName() => "cortex-test-" + Guid.NewGuid().ToString("N")[..12];
}
