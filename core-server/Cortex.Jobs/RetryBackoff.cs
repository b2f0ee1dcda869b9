namespace Cortex.Jobs;

/// <summary>
/// Exponential backoff with "equal jitter": attempt n waits between half and all of
/// min(max, base · 2^(n-1)), so retries of jobs that failed together spread out. The random source is
/// injectable so tests can seed it.
/// </summary>
public sealed class RetryBackoff(TimeSpan baseDelay, TimeSpan maxDelay, Random random)
{
    private readonly Lock _lock = new();

    /// <summary>The delay after failed attempt <paramref name="attempt"/> (1-based).</summary>
    public TimeSpan DelayAfter(int attempt)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(attempt);
        var exponential = baseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt - 1, 62));
        var capped = Math.Min(exponential, maxDelay.TotalMilliseconds);
        double fraction;
        lock (_lock)
        {
            fraction = random.NextDouble();
        }

        return TimeSpan.FromMilliseconds((capped / 2) + (fraction * capped / 2));
    }
}
