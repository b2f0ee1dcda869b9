using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;
using Minio;
using Minio.DataModel.Args;
using Minio.Exceptions;
using MinioNotFound = Minio.Exceptions.ObjectNotFoundException;

namespace Cortex.ObjectStore;

/// <summary>
/// Objects in an S3 bucket through the Minio SDK (MinIO, AWS S3, anything speaking the protocol).
/// Uploads are spooled to a local temporary file first, which hashes and measures them and enforces the limit
/// before a byte is sent, then streamed in one presigned PUT of known length (so objects are at most 5 GiB).
/// Downloads stream the HTTP response body.
/// </summary>
public sealed class S3ObjectStore : IObjectStore, IDisposable
{
    /// <summary>A single PUT carries at most 5 GiB.</summary>
    public const long MaxSinglePutBytes = 5L * 1024 * 1024 * 1024;

    private const int UploadUrlLifetimeSeconds = 24 * 60 * 60;
    private const string SpoolPrefix = "cortex-s3-spool-";

    private readonly IMinioClient _client;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromHours(1) };
    private readonly string _bucket;
    private readonly string _region;
    private readonly string _spoolDirectory;
    private readonly long _maxObjectBytes;
    private readonly ILogger<S3ObjectStore> _logger;
    private readonly SemaphoreSlim _bucketLock = new(1, 1);
    private volatile bool _bucketReady;

    public S3ObjectStore(S3ObjectStoreOptions options, long maxObjectBytes, ILogger<S3ObjectStore> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxObjectBytes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxObjectBytes, MaxSinglePutBytes);
        _bucket = options.Bucket ?? throw new ArgumentException("The bucket is required.", nameof(options));
        _region = options.Region;
        _spoolDirectory = options.SpoolDirectory ?? Path.GetTempPath();
        _maxObjectBytes = maxObjectBytes;
        _logger = logger;
        _client = new MinioClient()
            .WithEndpoint(options.Endpoint)
            .WithCredentials(options.AccessKey, options.SecretKey)
            .WithRegion(options.Region)
            .WithSSL(options.UseTls)
            .Build();
        Directory.CreateDirectory(_spoolDirectory);
        ContentSpool.DeleteStale(_spoolDirectory, SpoolPrefix + "*");
    }

    public async Task<StoredObject> PutAsync(
        string key, Stream content, ObjectPutOptions? options = null, CancellationToken cancellationToken = default)
    {
        ObjectKey.Validate(key);
        await EnsureBucketAsync(cancellationToken).ConfigureAwait(false);
        var spooled = await SpoolAsync(content, options, cancellationToken).ConfigureAwait(false);
        try
        {
            await UploadAsync(key, spooled, cancellationToken).ConfigureAwait(false);
            return spooled.ToStoredObject(key, alreadyExisted: false);
        }
        finally
        {
            File.Delete(spooled.Path);
        }
    }

    public async Task<StoredObject> PutContentAddressedAsync(
        Stream content, ObjectPutOptions? options = null, CancellationToken cancellationToken = default)
    {
        await EnsureBucketAsync(cancellationToken).ConfigureAwait(false);
        var spooled = await SpoolAsync(content, options, cancellationToken).ConfigureAwait(false);
        try
        {
            var key = ObjectKey.ForSha256(spooled.Sha256);
            if (await ExistsAsync(key, cancellationToken).ConfigureAwait(false))
            {
                return spooled.ToStoredObject(key, alreadyExisted: true);
            }

            await UploadAsync(key, spooled, cancellationToken).ConfigureAwait(false);
            return spooled.ToStoredObject(key, alreadyExisted: false);
        }
        finally
        {
            File.Delete(spooled.Path);
        }
    }

    public async Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken = default)
    {
        ObjectKey.Validate(key);
        await EnsureBucketAsync(cancellationToken).ConfigureAwait(false);

        // The SDK hands the response body to a callback and disposes it when the callback returns, so the
        // callback gives the body out and waits until the caller disposes the stream it got.
        var opened = new TaskCompletionSource<Stream>(TaskCreationOptions.RunContinuationsAsynchronously);
        var released = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var args = new GetObjectArgs()
            .WithBucket(_bucket)
            .WithObject(key)
            .WithCallbackStream(async (body, _) =>
            {
                opened.TrySetResult(body);
                await released.Task.ConfigureAwait(false);
            });
        var download = _client.GetObjectAsync(args, CancellationToken.None);
        try
        {
            var first = await Task.WhenAny(opened.Task, download).WaitAsync(cancellationToken).ConfigureAwait(false);
            if (first == download)
            {
                await download.ConfigureAwait(false);
                throw new ObjectNotFoundException(key);
            }
        }
        catch (MinioNotFound e)
        {
            throw new ObjectNotFoundException(key, e);
        }
        catch (Exception e) when (IsDenied(e))
        {
            throw new ObjectAccessDeniedException("read", _bucket, e);
        }
        catch (OperationCanceledException)
        {
            released.TrySetResult();
            throw;
        }

        return new CallbackBodyStream(await opened.Task.ConfigureAwait(false), released, download, _logger, key);
    }

    public async Task<ObjectInfo> StatAsync(string key, CancellationToken cancellationToken = default)
    {
        ObjectKey.Validate(key);
        await EnsureBucketAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var stat = await _client.StatObjectAsync(
                new StatObjectArgs().WithBucket(_bucket).WithObject(key), cancellationToken).ConfigureAwait(false);
            return new ObjectInfo(key, stat.Size, new DateTimeOffset(DateTime.SpecifyKind(stat.LastModified, DateTimeKind.Utc)));
        }
        catch (MinioNotFound e)
        {
            throw new ObjectNotFoundException(key, e);
        }
        catch (Exception e) when (IsDenied(e))
        {
            throw new ObjectAccessDeniedException("stat", _bucket, e);
        }
    }

    public async Task<bool> ExistsAsync(string key, CancellationToken cancellationToken = default)
    {
        try
        {
            await StatAsync(key, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (ObjectNotFoundException)
        {
            return false;
        }
    }

    public async Task DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        ObjectKey.Validate(key);
        await EnsureBucketAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _client.RemoveObjectAsync(
                new RemoveObjectArgs().WithBucket(_bucket).WithObject(key), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsDenied(e))
        {
            throw new ObjectAccessDeniedException("delete", _bucket, e);
        }
    }

    public IAsyncEnumerable<ObjectInfo> ListAsync(string prefix = "", CancellationToken cancellationToken = default)
    {
        ObjectKey.ValidatePrefix(prefix);
        return ListCoreAsync(prefix, cancellationToken);
    }

    public void Dispose()
    {
        _client.Dispose();
        _http.Dispose();
        _bucketLock.Dispose();
    }

    private async IAsyncEnumerable<ObjectInfo> ListCoreAsync(
        string prefix, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await EnsureBucketAsync(cancellationToken).ConfigureAwait(false);
        var args = new ListObjectsArgs().WithBucket(_bucket).WithPrefix(prefix).WithRecursive(true);
        var items = _client.ListObjectsEnumAsync(args, cancellationToken).GetAsyncEnumerator(cancellationToken);
        await using var itemsDisposal = items.ConfigureAwait(false);
        while (await MoveNextAsync(items).ConfigureAwait(false))
        {
            var item = items.Current;
            if (item.IsDir)
            {
                continue;
            }

            var modified = item.LastModifiedDateTime is { } m
                ? new DateTimeOffset(DateTime.SpecifyKind(m, DateTimeKind.Utc))
                : DateTimeOffset.UnixEpoch;
            yield return new ObjectInfo(item.Key, (long)item.Size, modified);
        }
    }

    private async Task<bool> MoveNextAsync<T>(IAsyncEnumerator<T> items)
    {
        try
        {
            return await items.MoveNextAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (IsDenied(e))
        {
            throw new ObjectAccessDeniedException("list", _bucket, e);
        }
    }

    /// <summary>S3's HTTP 403 answers (AccessDenied, InvalidAccessKeyId, SignatureDoesNotMatch), whichever exception the SDK picked.</summary>
    private static bool IsDenied(Exception exception) => exception switch
    {
        AccessDeniedException or AuthorizationException or ForbiddenException => true,
        MinioException minio => minio.Response?.Code is "AccessDenied" or "InvalidAccessKeyId" or "SignatureDoesNotMatch"
            || minio.ServerResponse?.StatusCode == HttpStatusCode.Forbidden,
        _ => false,
    };

    private async Task<SpooledContent> SpoolAsync(
        Stream content, ObjectPutOptions? options, CancellationToken cancellationToken)
    {
        var path = Path.Combine(_spoolDirectory, SpoolPrefix + Guid.NewGuid().ToString("N"));
        return await ContentSpool.WriteAsync(
            content, path, ContentSpool.Limit(_maxObjectBytes, options), cancellationToken).ConfigureAwait(false);
    }

    private async Task UploadAsync(string key, SpooledContent spooled, CancellationToken cancellationToken)
    {
        // A presigned PUT streams the spooled file with its length; the SDK's own PutObject would read every
        // 5 MiB part into a fresh array, which leaves hundreds of megabytes of garbage behind a large upload.
        var url = await _client.PresignedPutObjectAsync(new PresignedPutObjectArgs()
            .WithBucket(_bucket)
            .WithObject(key)
            .WithExpiry(UploadUrlLifetimeSeconds)).ConfigureAwait(false);
        var file = new FileStream(spooled.Path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
        await using (file.ConfigureAwait(false))
        {
            using var body = new StreamContent(file, 81920);
            body.Headers.ContentLength = spooled.Size;
            body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            using var response = await _http.PutAsync(new Uri(url), body, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.Forbidden)
            {
                throw new ObjectAccessDeniedException("put", _bucket);
            }

            if (!response.IsSuccessStatusCode)
            {
                var error = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                throw new IOException(
                    $"Uploading '{key}' to bucket '{_bucket}' failed with HTTP {(int)response.StatusCode}: {error}");
            }
        }
    }

    private async Task EnsureBucketAsync(CancellationToken cancellationToken)
    {
        if (_bucketReady)
        {
            return;
        }

        await _bucketLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_bucketReady)
            {
                return;
            }

            try
            {
                var exists = await _client.BucketExistsAsync(new BucketExistsArgs().WithBucket(_bucket), cancellationToken)
                    .ConfigureAwait(false);
                if (!exists)
                {
                    await _client.MakeBucketAsync(
                        new MakeBucketArgs().WithBucket(_bucket).WithLocation(_region), cancellationToken).ConfigureAwait(false);
                    _logger.BucketCreated(_bucket);
                }
            }
            catch (Exception e) when (IsDenied(e))
            {
                throw new ObjectAccessDeniedException("bucket check", _bucket, e);
            }

            _bucketReady = true;
        }
        finally
        {
            _bucketLock.Release();
        }
    }
}
