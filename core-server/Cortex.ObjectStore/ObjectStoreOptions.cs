namespace Cortex.ObjectStore;

/// <summary>Settings under <c>Cortex:ObjectStore</c>.</summary>
public sealed class ObjectStoreOptions
{
    public const string SectionName = "Cortex:ObjectStore";
    public const string FileSystemKind = "filesystem";
    public const string S3Kind = "s3";

    /// <summary><c>filesystem</c> (the embedded default) or <c>s3</c>.</summary>
    public string Kind { get; set; } = FileSystemKind;

    /// <summary>The directory of the file-system store.</summary>
    public string? Root { get; set; }

    /// <summary>The largest object accepted, in bytes (default 2 GiB).</summary>
    public long MaxObjectBytes { get; set; } = 2L * 1024 * 1024 * 1024;

    public S3ObjectStoreOptions S3 { get; set; } = new();
}

/// <summary>Settings under <c>Cortex:ObjectStore:S3</c>.</summary>
public sealed class S3ObjectStoreOptions
{
    /// <summary>Host and optional port of the S3 endpoint, e.g. <c>minio.internal:9000</c>; no scheme.</summary>
    public string? Endpoint { get; set; }

    public string? AccessKey { get; set; }

    public string? SecretKey { get; set; }

    public string? Bucket { get; set; }

    public string Region { get; set; } = "us-east-1";

    public bool UseTls { get; set; } = true;

    /// <summary>
    /// Where uploads are spooled (hashed and measured) before they are sent; null uses the system temp directory.
    /// </summary>
    public string? SpoolDirectory { get; set; }
}
