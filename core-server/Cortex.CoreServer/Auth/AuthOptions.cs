using System.ComponentModel.DataAnnotations;

namespace Cortex.CoreServer.Auth;

public sealed class AuthOptions
{
    public const string Section = "Cortex:Auth";

    /// <summary>How long a key→principal lookup is cached. Revocation on this instance clears the cache at once.</summary>
    [Range(0, 3600, ErrorMessage = "Cortex:Auth:KeyCacheSeconds must be between 0 and 3600.")]
    public int KeyCacheSeconds { get; set; } = 30;

    /// <summary>How often last-used times are written back, batched, to the database.</summary>
    [Range(1, 3600, ErrorMessage = "Cortex:Auth:LastUsedFlushSeconds must be between 1 and 3600.")]
    public int LastUsedFlushSeconds { get; set; } = 10;
}
