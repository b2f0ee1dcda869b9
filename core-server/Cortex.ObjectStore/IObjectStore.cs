namespace Cortex.ObjectStore;

/// <summary>
/// Bytes stored by key. Every operation streams: no implementation holds a whole object in memory.
/// Keys are validated by <see cref="ObjectKey"/>; metadata beyond size (file names, owners, content types
/// shown to people) belongs in the database row that points at the key.
/// </summary>
public interface IObjectStore
{
    /// <summary>
    /// Writes <paramref name="content"/> under <paramref name="key"/>, replacing any object there.
    /// The object appears whole or not at all; a failed or refused write leaves nothing behind.
    /// </summary>
    /// <exception cref="ObjectTooLargeException">The content is longer than the limit.</exception>
    Task<StoredObject> PutAsync(
        string key, Stream content, ObjectPutOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes <paramref name="content"/> under the key derived from its sha256 (<see cref="ObjectKey.ForSha256"/>).
    /// Putting content that is already stored is a no-op that returns the same key.
    /// </summary>
    /// <exception cref="ObjectTooLargeException">The content is longer than the limit.</exception>
    Task<StoredObject> PutContentAddressedAsync(
        Stream content, ObjectPutOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Opens the object for reading; the caller disposes the stream.</summary>
    /// <exception cref="ObjectNotFoundException">No object has that key.</exception>
    Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken = default);

    /// <exception cref="ObjectNotFoundException">No object has that key.</exception>
    Task<ObjectInfo> StatAsync(string key, CancellationToken cancellationToken = default);

    Task<bool> ExistsAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Deletes the object; deleting a missing object is not an error.</summary>
    Task DeleteAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>The objects whose keys start with <paramref name="prefix"/>; the order is the backend's.</summary>
    IAsyncEnumerable<ObjectInfo> ListAsync(string prefix = "", CancellationToken cancellationToken = default);
}
