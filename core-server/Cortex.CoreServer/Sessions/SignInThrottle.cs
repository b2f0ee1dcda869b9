using System.Collections.Concurrent;

namespace Cortex.CoreServer.Sessions;

/// <summary>
/// Slows password guessing: after <see cref="MaxFailures"/> failed sign-ins for one handle within <see cref="Window"/>,
/// that handle cannot sign in until the window has passed (429 with Retry-After). Per instance and in memory; the
/// global per-address rate limit still applies on top.
/// </summary>
internal sealed class SignInThrottle(TimeProvider time)
{
    public const int MaxFailures = 10;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);
    private const int MaxTracked = 10_000;

    private readonly ConcurrentDictionary<string, Failures> _failures = new(StringComparer.Ordinal);

    /// <summary>How long <paramref name="handle"/> must wait before trying again; null when it may try now.</summary>
    public TimeSpan? RetryAfter(string handle)
    {
        if (!_failures.TryGetValue(Key(handle), out var failures))
        {
            return null;
        }

        var wait = failures.Since + Window - time.GetUtcNow();
        return failures.Count >= MaxFailures && wait > TimeSpan.Zero ? wait : null;
    }

    public void Failed(string handle)
    {
        var now = time.GetUtcNow();
        var key = Key(handle);
        if (_failures.Count >= MaxTracked && !_failures.ContainsKey(key))
        {
            foreach (var (tracked, stale) in _failures)
            {
                if (stale.Since + Window <= now)
                {
                    _failures.TryRemove(tracked, out _);
                }
            }

            // Under a spray of distinct handles, stop tracking new ones rather than grow without bound.
            if (_failures.Count >= MaxTracked)
            {
                return;
            }
        }

        _failures.AddOrUpdate(
            key,
            _ => new Failures(1, now),
            (_, current) => current.Since + Window <= now ? new Failures(1, now) : current with { Count = current.Count + 1 });
    }

    public void Succeeded(string handle) => _failures.TryRemove(Key(handle), out _);

    private static string Key(string handle) => handle.Trim().ToLowerInvariant();

    private sealed record Failures(int Count, DateTimeOffset Since);
}
