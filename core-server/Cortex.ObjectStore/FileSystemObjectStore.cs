namespace Cortex.ObjectStore;

/// <summary>
/// The embedded default: one file per object under a root directory. Writes go to <c>.tmp/</c> inside the root
/// and are renamed into place, so a reader never sees a partial object; keys cannot reach <c>.tmp/</c> or leave
/// the root (see <see cref="ObjectKey"/>), and every resolved path is checked against the root as well.
/// Temporary files older than a day (left by a crash) are deleted when a store is created. A key cannot be both
/// an object and a directory of other keys here (<c>a</c> and <c>a/b</c>); content-addressed keys never collide so.
/// </summary>
public sealed class FileSystemObjectStore : IObjectStore
{
    private const string TempDirectoryName = ".tmp";

    private readonly string _root;
    private readonly string _tempDirectory;
    private readonly long _maxObjectBytes;

    public FileSystemObjectStore(string root, long maxObjectBytes)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxObjectBytes);
        _root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root)) + Path.DirectorySeparatorChar;
        _tempDirectory = Path.Combine(_root, TempDirectoryName);
        _maxObjectBytes = maxObjectBytes;
        Directory.CreateDirectory(_tempDirectory);
        ContentSpool.DeleteStale(_tempDirectory, "*");
    }

    public string Root => _root;

    public async Task<StoredObject> PutAsync(
        string key, Stream content, ObjectPutOptions? options = null, CancellationToken cancellationToken = default)
    {
        var path = PathOf(key);
        var spooled = await SpoolAsync(content, options, cancellationToken).ConfigureAwait(false);
        MoveIntoPlace(spooled.Path, path);
        return spooled.ToStoredObject(key, alreadyExisted: false);
    }

    public async Task<StoredObject> PutContentAddressedAsync(
        Stream content, ObjectPutOptions? options = null, CancellationToken cancellationToken = default)
    {
        var spooled = await SpoolAsync(content, options, cancellationToken).ConfigureAwait(false);
        var key = ObjectKey.ForSha256(spooled.Sha256);
        var path = PathOf(key);
        if (File.Exists(path))
        {
            File.Delete(spooled.Path);
            return spooled.ToStoredObject(key, alreadyExisted: true);
        }

        // Two writers of the same content may both get here; both renames leave the same bytes.
        MoveIntoPlace(spooled.Path, path);
        return spooled.ToStoredObject(key, alreadyExisted: false);
    }

    public Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken = default)
    {
        var path = PathOf(key);
        try
        {
            Stream stream = new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.Open,
                Access = FileAccess.Read,
                Share = FileShare.Read | FileShare.Delete,
                Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
            });
            return Task.FromResult(stream);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ObjectNotFoundException(key, e);
        }
    }

    public Task<ObjectInfo> StatAsync(string key, CancellationToken cancellationToken = default)
    {
        var file = new FileInfo(PathOf(key));
        return file.Exists
            ? Task.FromResult(new ObjectInfo(key, file.Length, file.LastWriteTimeUtc))
            : throw new ObjectNotFoundException(key);
    }

    public Task<bool> ExistsAsync(string key, CancellationToken cancellationToken = default) =>
        Task.FromResult(File.Exists(PathOf(key)));

    public Task DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        var path = PathOf(key);
        if (File.Exists(path))
        {
            File.Delete(path);
        }

        return Task.CompletedTask;
    }

    public IAsyncEnumerable<ObjectInfo> ListAsync(string prefix = "", CancellationToken cancellationToken = default)
    {
        ObjectKey.ValidatePrefix(prefix);

        // Start at the deepest directory the prefix names; the rest of the prefix filters names.
        var lastSlash = prefix.LastIndexOf('/');
        var directoryKey = lastSlash < 0 ? string.Empty : prefix[..(lastSlash + 1)];
        var start = new DirectoryInfo(Path.Combine(_root, directoryKey));
        var objects = start.Exists ? Walk(start, directoryKey, prefix, cancellationToken) : [];
        return objects.ToAsyncEnumerable();
    }

    private async Task<SpooledContent> SpoolAsync(
        Stream content, ObjectPutOptions? options, CancellationToken cancellationToken)
    {
        var tempPath = Path.Combine(_tempDirectory, Guid.NewGuid().ToString("N"));
        return await ContentSpool.WriteAsync(
            content, tempPath, ContentSpool.Limit(_maxObjectBytes, options), cancellationToken).ConfigureAwait(false);
    }

    private static void MoveIntoPlace(string tempPath, string path)
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.Move(tempPath, path, overwrite: true);
        }
        catch
        {
            File.Delete(tempPath);
            throw;
        }
    }

    /// <summary>
    /// Keys sort like paths only if a directory compares as its name plus '/', so each level is ordered that way;
    /// a depth-first walk then yields keys in ordinal order, as S3 lists them.
    /// </summary>
    private static IEnumerable<ObjectInfo> Walk(
        DirectoryInfo directory, string directoryKey, string prefix, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var entries = directory.EnumerateFileSystemInfos()
            .Where(e => ObjectKey.IsValid(directoryKey + e.Name))
            .Select(e => (Entry: e, SortKey: e is DirectoryInfo ? e.Name + "/" : e.Name))
            .OrderBy(e => e.SortKey, StringComparer.Ordinal);
        foreach (var (entry, sortKey) in entries)
        {
            var key = directoryKey + sortKey;
            if (entry is DirectoryInfo child)
            {
                // Descend only where keys below can still match the prefix.
                if (key.StartsWith(prefix, StringComparison.Ordinal) || prefix.StartsWith(key, StringComparison.Ordinal))
                {
                    foreach (var info in Walk(child, key, prefix, cancellationToken))
                    {
                        yield return info;
                    }
                }
            }
            else if (entry is FileInfo file && key.StartsWith(prefix, StringComparison.Ordinal))
            {
                yield return new ObjectInfo(key, file.Length, file.LastWriteTimeUtc);
            }
        }
    }

    private string PathOf(string key)
    {
        ObjectKey.Validate(key);
        var path = Path.GetFullPath(Path.Combine(_root, key));
        if (!path.StartsWith(_root, StringComparison.Ordinal) || path.StartsWith(_tempDirectory, StringComparison.Ordinal))
        {
            throw new InvalidObjectKeyException(key, "it resolves outside the store");
        }

        return path;
    }
}
