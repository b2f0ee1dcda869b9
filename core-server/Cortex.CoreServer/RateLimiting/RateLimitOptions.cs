using System.ComponentModel.DataAnnotations;

namespace Cortex.CoreServer.RateLimiting;

/// <summary>
/// Per-principal token buckets (per client address for unauthenticated requests). The defaults let one principal
/// sustain a few thousand requests per second; tests lower them.
/// </summary>
public sealed class RateLimitOptions
{
    public const string Section = "Cortex:RateLimits";

    [Range(1, 1_000_000, ErrorMessage = "Cortex:RateLimits:TokenLimit must be between 1 and 1000000.")]
    public int TokenLimit { get; set; } = 20_000;

    [Range(1, 1_000_000, ErrorMessage = "Cortex:RateLimits:TokensPerPeriod must be between 1 and 1000000.")]
    public int TokensPerPeriod { get; set; } = 10_000;

    [Range(1, 3600, ErrorMessage = "Cortex:RateLimits:PeriodSeconds must be between 1 and 3600.")]
    public int PeriodSeconds { get; set; } = 1;
}
