using Microsoft.Extensions.Logging;

namespace Cortex.ObjectStore;

/// <summary>
/// A response body lent by the Minio SDK's download callback: reads go straight to it, and disposing it
/// lets the callback return so the SDK can release the response.
/// </summary>
internal sealed class CallbackBodyStream(
    Stream body, TaskCompletionSource released, Task download, ILogger logger, string key) : Stream
{
    private int _disposed;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => body.Read(buffer, offset, count);

    public override int Read(Span<byte> buffer) => body.Read(buffer);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        body.ReadAsync(buffer, offset, count, cancellationToken);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        body.ReadAsync(buffer, cancellationToken);

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            released.TrySetResult();
            try
            {
                await download.ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpRequestException or IOException or Minio.Exceptions.MinioException)
            {
                // The caller has its bytes (or saw the read fail); the SDK's own wrap-up failing is only worth a log.
                logger.DownloadCloseFailed(key, e);
            }
        }

        GC.SuppressFinalize(this);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            released.TrySetResult();
            download.ContinueWith(
                t => logger.DownloadCloseFailed(key, t.Exception!.GetBaseException()),
                CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        }

        base.Dispose(disposing);
    }
}
