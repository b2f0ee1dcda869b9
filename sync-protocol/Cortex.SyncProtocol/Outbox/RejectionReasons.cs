namespace Cortex.SyncProtocol;

/// <summary>Machine-readable rejection codes. Strings, so a new code is a compatible addition.</summary>
public static class RejectionReasons
{
    public const string Forbidden = "forbidden";
    public const string NotFound = "not_found";
    public const string ValidationFailed = "validation_failed";
    public const string VersionConflict = "version_conflict";
    public const string SecretDetected = "secret_detected";
    public const string TooLarge = "too_large";
    public const string UnknownKind = "unknown_kind";
}
