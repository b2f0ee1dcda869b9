using System.Runtime.CompilerServices;
using Cortex.ObjectStore;

namespace Cortex.CoreServer.Observability;

/// <summary>Counts the object store's exceptions by operation and kind, then lets them propagate unchanged.</summary>
internal sealed class MeteredObjectStore(IObjectStore inner, CortexMetrics metrics) : IObjectStore
{
    public async Task<StoredObject> PutAsync(
        string key, Stream content, ObjectPutOptions? options = null, CancellationToken cancellationToken = default)
    {
        try
        {
            return await inner.PutAsync(key, content, options, cancellationToken);
        }
        catch (Exception exception) when (Count("put", exception))
        {
            throw;
        }
    }

    public async Task<StoredObject> PutContentAddressedAsync(
        Stream content, ObjectPutOptions? options = null, CancellationToken cancellationToken = default)
    {
        try
        {
            return await inner.PutContentAddressedAsync(content, options, cancellationToken);
        }
        catch (Exception exception) when (Count("put", exception))
        {
            throw;
        }
    }

    public async Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken = default)
    {
        try
        {
            return await inner.OpenReadAsync(key, cancellationToken);
        }
        catch (Exception exception) when (Count("read", exception))
        {
            throw;
        }
    }

    public async Task<ObjectInfo> StatAsync(string key, CancellationToken cancellationToken = default)
    {
        try
        {
            return await inner.StatAsync(key, cancellationToken);
        }
        catch (Exception exception) when (Count("stat", exception))
        {
            throw;
        }
    }

    public async Task<bool> ExistsAsync(string key, CancellationToken cancellationToken = default)
    {
        try
        {
            return await inner.ExistsAsync(key, cancellationToken);
        }
        catch (Exception exception) when (Count("exists", exception))
        {
            throw;
        }
    }

    public async Task DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        try
        {
            await inner.DeleteAsync(key, cancellationToken);
        }
        catch (Exception exception) when (Count("delete", exception))
        {
            throw;
        }
    }

    public async IAsyncEnumerable<ObjectInfo> ListAsync(string prefix = "", [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var items = inner.ListAsync(prefix, cancellationToken).GetAsyncEnumerator(cancellationToken);
        await using (items)
        {
            while (true)
            {
                bool more;
                try
                {
                    more = await items.MoveNextAsync();
                }
                catch (Exception exception) when (Count("list", exception))
                {
                    throw;
                }

                if (!more)
                {
                    break;
                }

                yield return items.Current;
            }
        }
    }

    /// <summary>Records the failure; always false, so the filter never catches.</summary>
    private bool Count(string operation, Exception exception)
    {
        if (Kind(exception) is { } kind)
        {
            metrics.ObjectStoreError(operation, kind);
        }

        return false;
    }

    /// <summary>The failure's kind; null for cancellations, which are the caller's doing.</summary>
    internal static string? Kind(Exception exception) => exception switch
    {
        OperationCanceledException => null,
        UnauthorizedAccessException => "permission_denied", // ObjectAccessDeniedException (S3 403) and file-system denials
        ObjectNotFoundException => "not_found",
        ObjectTooLargeException => "too_large",
        InvalidObjectKeyException => "invalid_key",
        IOException => "io",
        _ => "other",
    };
}
