namespace Cortex.SecretScanning;

public sealed class SecretScannerOptions
{
    /// <summary>Largest text, in UTF-16 code units, that one call accepts (default 8 Mi).</summary>
    public int MaxInputLength { get; init; } = 8 * 1024 * 1024;

    /// <summary>Values that are never reported, e.g. a workspace's known test fixtures.</summary>
    public SecretAllowlist Allowlist { get; init; } = SecretAllowlist.Empty;
}
