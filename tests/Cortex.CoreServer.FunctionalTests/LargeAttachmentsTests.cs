using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Cortex.CoreServer.FunctionalTests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Cortex.CoreServer.FunctionalTests;

/// <summary>Runs alone (no other test class in parallel), because it measures this process's memory.</summary>
[CollectionDefinition(nameof(LargeAttachmentsTests), DisableParallelization = true)]
public sealed class LargeAttachmentsCollection;

[Collection(nameof(LargeAttachmentsTests))]
public sealed class LargeAttachmentsTests(CortexApp app, ITestOutputHelper output) : IClassFixture<CortexApp>
{
    private const long OneGiB = 1L << 30;
    private const long MemoryBudget = 100L << 20;

    [Fact]
    public async Task A_1_GiB_upload_and_download_stream_through_with_matching_checksums_and_bounded_memory()
    {
        // The test server's own client: the factory's default client adds a redirect handler that buffers request bodies.
        using var client = app.Factory.Server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", app.AdminKey);
        client.Timeout = TimeSpan.FromMinutes(5);
        await WarmUpAsync(client);

        using var sampler = new MemorySampler();
        var clock = Stopwatch.StartNew();
        using var upload = new GeneratedStream(OneGiB, seed: 6);
        using var content = new StreamContent(upload, 128 * 1024);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        content.Headers.ContentLength = OneGiB;
        var created = await Expect.Json(await client.PostAsync("/api/v1/attachments?fileName=big.bin", content), HttpStatusCode.Created);
        var expected = upload.Sha256Hex();
        Assert.Equal(expected, created.GetProperty("sha256").GetString());
        Assert.Equal(OneGiB, created.GetProperty("size").GetInt64());

        using var response = await client.GetAsync(
            $"/api/v1/attachments/{created.GetProperty("id").GetString()}/content", HttpCompletionOption.ResponseHeadersRead);
        await Expect.Status(response, HttpStatusCode.OK);
        Assert.Equal($"\"{expected}\"", response.Headers.ETag?.ToString());
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using (var body = await response.Content.ReadAsStreamAsync())
        {
            var buffer = new byte[128 * 1024];
            long total = 0;
            int read;
            while ((read = await body.ReadAsync(buffer)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                total += read;
            }

            Assert.Equal(OneGiB, total);
        }

        Assert.Equal(expected, Convert.ToHexStringLower(hash.GetHashAndReset()));
        var (managed, workingSet) = await sampler.StopAsync();
        output.WriteLine($"1 GiB up and down in {clock.Elapsed.TotalSeconds:F1} s; peak growth: managed heap {managed >> 20} MB, working set {workingSet >> 20} MB");
        Assert.True(managed < MemoryBudget, $"The managed heap grew by {managed >> 20} MB during the transfer.");
        Assert.True(workingSet < MemoryBudget, $"The working set grew by {workingSet >> 20} MB during the transfer.");
    }

    /// <summary>Takes the first-use costs (JIT, pools, connections) out of the measured window.</summary>
    private static async Task WarmUpAsync(HttpClient client)
    {
        var bytes = new byte[4 << 20];
        new Random(1).NextBytes(bytes);
        var created = await AttachmentsTests.UploadAsync(client, bytes, "warm-up.bin", null);
        using var response = await client.GetAsync($"/api/v1/attachments/{created.GetProperty("id").GetString()}/content");
        Assert.Equal(bytes.Length, (await response.Content.ReadAsByteArrayAsync()).Length);
    }

    /// <summary>Deterministic pseudo-random content of a given length, generated as it is read and hashed on the way.</summary>
    private sealed class GeneratedStream(long length, int seed) : Stream
    {
        private readonly byte[] _block = RandomBlock(seed);
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        private long _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position
        {
            get => _position;
            set => throw new NotSupportedException();
        }

        public string Sha256Hex() => Convert.ToHexStringLower(_hash.GetCurrentHash());

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var count = (int)Math.Min(buffer.Length, length - _position);
            for (var written = 0; written < count;)
            {
                var at = (int)((_position + written) % _block.Length);
                var chunk = Math.Min(count - written, _block.Length - at);
                _block.AsSpan(at, chunk).CopyTo(buffer[written..]);
                written += chunk;
            }

            _hash.AppendData(buffer[..count]);
            _position += count;
            return count;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Read(buffer.Span));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Task.FromResult(Read(buffer.AsSpan(offset, count)));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _hash.Dispose();
            }

            base.Dispose(disposing);
        }

        private static byte[] RandomBlock(int seed)
        {
            // An odd length, so the content does not repeat at any power-of-two boundary a store might chunk at.
            var block = new byte[(1 << 20) + 13];
            new Random(seed).NextBytes(block);
            return block;
        }
    }

    /// <summary>
    /// Samples this process's managed heap and working set while a transfer runs (the server is in-process) and
    /// reports the largest growth over the baseline taken after a full collection.
    /// </summary>
    private sealed class MemorySampler : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly long _managedBaseline;
        private readonly long _workingSetBaseline;
        private readonly Task<(long Managed, long WorkingSet)> _sampling;

        public MemorySampler()
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            _managedBaseline = GC.GetTotalMemory(forceFullCollection: true);
            _workingSetBaseline = WorkingSet();
            _sampling = SampleAsync(_stop.Token);
        }

        public async Task<(long Managed, long WorkingSet)> StopAsync()
        {
            await _stop.CancelAsync();
            var (managed, workingSet) = await _sampling;
            return (managed - _managedBaseline, workingSet - _workingSetBaseline);
        }

        public void Dispose() => _stop.Dispose();

        private static long WorkingSet()
        {
            using var process = Process.GetCurrentProcess();
            return process.WorkingSet64;
        }

        private static async Task<(long Managed, long WorkingSet)> SampleAsync(CancellationToken cancellationToken)
        {
            long managed = 0, workingSet = 0;
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
            do
            {
                managed = Math.Max(managed, GC.GetTotalMemory(forceFullCollection: false));
                workingSet = Math.Max(workingSet, WorkingSet());
            }
            while (await Wait(timer, cancellationToken));

            return (managed, workingSet);
        }

        private static async Task<bool> Wait(PeriodicTimer timer, CancellationToken cancellationToken)
        {
            try
            {
                return await timer.WaitForNextTickAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }
    }
}
