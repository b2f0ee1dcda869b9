namespace Cortex.ObjectStore;

/// <summary>No object is stored under the key.</summary>
public sealed class ObjectNotFoundException : Exception
{
    public ObjectNotFoundException(string key, Exception? innerException = null)
        : base($"No object is stored under the key '{key}'.", innerException)
    {
        Key = key;
    }

    public string Key { get; }
}

/// <summary>The content was longer than the limit; nothing of it was kept.</summary>
public sealed class ObjectTooLargeException : Exception
{
    public ObjectTooLargeException(long limitBytes)
        : base($"The content is larger than the limit of {limitBytes} bytes; nothing was stored.")
    {
        LimitBytes = limitBytes;
    }

    public long LimitBytes { get; }
}

/// <summary>The key is not a valid object key (see <see cref="ObjectKey"/>).</summary>
public sealed class InvalidObjectKeyException : ArgumentException
{
    public InvalidObjectKeyException(string key, string reason)
        : base($"'{Printable(key)}' is not a valid object key: {reason}.", "key")
    {
        Key = key;
    }

    public string Key { get; }

    private static string Printable(string key) =>
        string.Concat(key.Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString()));
}

/// <summary>
/// The object store refused the server's credentials or their permissions (S3: HTTP 403 — AccessDenied,
/// InvalidAccessKeyId, SignatureDoesNotMatch). Never normal: a rotated-away key or a wrong bucket policy.
/// </summary>
public sealed class ObjectAccessDeniedException : UnauthorizedAccessException
{
    public ObjectAccessDeniedException(string operation, string bucket, Exception? innerException = null)
        : base($"The object store denied {operation} in bucket '{bucket}': check its access key and bucket policy.", innerException)
    {
        Operation = operation;
    }

    public string Operation { get; }
}
