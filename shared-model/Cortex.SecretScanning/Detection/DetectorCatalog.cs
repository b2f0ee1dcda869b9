namespace Cortex.SecretScanning.Detection;

internal static class DetectorCatalog
{
    /// <summary>Built once per process: the linear-time regex engine compiles its automata lazily and caches them.</summary>
    public static IReadOnlyList<Detector> All { get; } = [.. FormatDetectors.Create(), .. CredentialDetectors.Create()];
}
