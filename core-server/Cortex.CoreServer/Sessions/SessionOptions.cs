using System.ComponentModel.DataAnnotations;

namespace Cortex.CoreServer.Sessions;

/// <summary>Cookie sessions of the web UI (<c>Cortex:Sessions</c>).</summary>
public sealed class SessionOptions
{
    public const string Section = "Cortex:Sessions";

    /// <summary>A session unused for this long ends (sliding expiry).</summary>
    [Range(1, 43_200, ErrorMessage = "Cortex:Sessions:IdleMinutes must be between 1 and 43200.")]
    public int IdleMinutes { get; set; } = 120;

    /// <summary>A session ends this long after sign-in, however active it is.</summary>
    [Range(1, 8_760, ErrorMessage = "Cortex:Sessions:MaxHours must be between 1 and 8760.")]
    public int MaxHours { get; set; } = 24;

    /// <summary>The session cookie's name.</summary>
    [RegularExpression("^[A-Za-z0-9_-]{1,64}$", ErrorMessage = "Cortex:Sessions:CookieName must be 1 to 64 letters, digits, '_' or '-'.")]
    public string CookieName { get; set; } = "cortex_session";

    public TimeSpan Idle => TimeSpan.FromMinutes(IdleMinutes);

    public TimeSpan Max => TimeSpan.FromHours(MaxHours);
}
