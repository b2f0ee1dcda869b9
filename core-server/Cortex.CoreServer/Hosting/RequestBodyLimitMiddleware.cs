using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;

namespace Cortex.CoreServer.Hosting;

/// <summary>
/// Enforces <see cref="LimitOptions.MaxRequestBodyBytes"/> on every request (or the endpoint's own limit, declared
/// with <c>RequestSizeLimitAttribute</c> metadata): by Content-Length up front, and while reading for chunked bodies.
/// Kestrel enforces the same limit; this also covers hosts that do not (the test server).
/// </summary>
internal sealed class RequestBodyLimitMiddleware(RequestDelegate next, IOptions<LimitOptions> options)
{
    private readonly long _limit = options.Value.MaxRequestBodyBytes;

    public Task InvokeAsync(HttpContext context)
    {
        var limit = context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize ?? _limit;
        if (context.Request.ContentLength > limit)
        {
            throw TooLarge();
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = limit;
        }

        context.Request.Body = new LimitedReadStream(context.Request.Body, limit);
        return next(context);
    }

    private static BadHttpRequestException TooLarge() =>
        new("The request body is too large.", StatusCodes.Status413PayloadTooLarge);

    private sealed class LimitedReadStream(Stream inner, long limit) : Stream
    {
        private long _read;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => _read;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer, cancellationToken));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        private int Count(int read)
        {
            _read += read;
            if (_read > limit)
            {
                throw TooLarge();
            }

            return read;
        }
    }
}
