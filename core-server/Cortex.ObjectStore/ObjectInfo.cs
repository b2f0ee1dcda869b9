namespace Cortex.ObjectStore;

/// <summary>What the store knows about one object.</summary>
public sealed record ObjectInfo(string Key, long Size, DateTimeOffset LastModified);
