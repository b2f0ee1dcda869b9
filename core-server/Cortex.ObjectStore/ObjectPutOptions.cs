namespace Cortex.ObjectStore;

/// <summary>Per-call settings of a put.</summary>
public sealed record ObjectPutOptions
{
    /// <summary>
    /// The most bytes accepted for this object; null uses <c>Cortex:ObjectStore:MaxObjectBytes</c>.
    /// A lower value than the store's limit tightens it; a higher one is capped by it.
    /// </summary>
    public long? MaxBytes { get; init; }
}
