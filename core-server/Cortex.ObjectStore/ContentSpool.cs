using System.Buffers;
using System.Security.Cryptography;

namespace Cortex.ObjectStore;

/// <summary>
/// Copies content into a temporary file in fixed-size chunks while hashing it, counting it against the limit
/// and keeping its first bytes for sniffing. Too much content or any failure deletes the file.
/// </summary>
internal static class ContentSpool
{
    private const int ChunkSize = 128 * 1024;

    /// <summary>Spool files older than this were left by a process that died mid-upload.</summary>
    public static readonly TimeSpan StaleAge = TimeSpan.FromDays(1);

    public static async Task<SpooledContent> WriteAsync(
        Stream source, string path, long maxBytes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var head = new byte[ContentSniffer.HeadLength];
        var headLength = 0;
        long size = 0;
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        try
        {
            var file = new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                Share = FileShare.None,
                Options = FileOptions.Asynchronous,
                BufferSize = 0,
            });
            await using (file.ConfigureAwait(false))
            {
                int read;
                while ((read = await source.ReadAsync(buffer.AsMemory(0, ChunkSize), cancellationToken)
                           .ConfigureAwait(false)) > 0)
                {
                    size += read;
                    if (size > maxBytes)
                    {
                        throw new ObjectTooLargeException(maxBytes);
                    }

                    var chunk = buffer.AsMemory(0, read);
                    hash.AppendData(chunk.Span);
                    if (headLength < head.Length)
                    {
                        var take = Math.Min(read, head.Length - headLength);
                        chunk.Span[..take].CopyTo(head.AsSpan(headLength));
                        headLength += take;
                    }

                    await file.WriteAsync(chunk, cancellationToken).ConfigureAwait(false);
                }

                // Durable before it is renamed into place or uploaded.
                file.Flush(flushToDisk: true);
            }
        }
        catch
        {
            File.Delete(path);
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        var sha256 = Convert.ToHexStringLower(hash.GetHashAndReset());
        var contentType = ContentSniffer.Sniff(head.AsSpan(0, headLength), isComplete: size <= head.Length);
        return new SpooledContent(path, size, sha256, contentType);
    }

    /// <summary>Deletes stale spool files matching <paramref name="searchPattern"/> in <paramref name="directory"/>.</summary>
    public static void DeleteStale(string directory, string searchPattern)
    {
        var cutoff = DateTime.UtcNow - StaleAge;
        foreach (var file in new DirectoryInfo(directory).EnumerateFiles(searchPattern))
        {
            if (file.LastWriteTimeUtc < cutoff)
            {
                file.Delete();
            }
        }
    }

    /// <summary>The effective limit of one put.</summary>
    public static long Limit(long storeLimit, ObjectPutOptions? options) =>
        options?.MaxBytes is { } requested ? Math.Min(requested, storeLimit) : storeLimit;
}

internal sealed record SpooledContent(string Path, long Size, string Sha256, string ContentType)
{
    public StoredObject ToStoredObject(string key, bool alreadyExisted) =>
        new(key, Size, Sha256, ContentType, alreadyExisted);
}
