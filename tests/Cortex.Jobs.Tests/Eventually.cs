using System.Diagnostics;

namespace Cortex.Jobs.Tests;

/// <summary>Polls for a condition that becomes true in time (lease expiry, a worker finishing), up to a deadline.</summary>
internal static class Eventually
{
    public static async Task<T> ReturnsAsync<T>(
        Func<Task<T>> probe, Func<T, bool> done, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var value = await probe();
            if (done(value))
            {
                return value;
            }

            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"Gave up after {timeout} waiting for {what}; last seen: {value}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50));
        }
    }
}
