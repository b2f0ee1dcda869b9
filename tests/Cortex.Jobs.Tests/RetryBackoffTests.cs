using Xunit;

namespace Cortex.Jobs.Tests;

public sealed class RetryBackoffTests
{
    [Fact]
    public void Delays_double_per_attempt_within_their_jitter_band_up_to_the_cap()
    {
        var backoff = new RetryBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), new Random(1234));

        var delays = Enumerable.Range(1, 8).Select(backoff.DelayAfter).ToList();

        double[] ceilings = [1, 2, 4, 8, 16, 30, 30, 30];
        for (var i = 0; i < delays.Count; i++)
        {
            Assert.InRange(delays[i].TotalSeconds, ceilings[i] / 2, ceilings[i]);
        }
    }

    [Fact]
    public void The_same_seed_gives_the_same_delays_and_another_seed_spreads_them()
    {
        static List<TimeSpan> Run(int seed)
        {
            var backoff = new RetryBackoff(TimeSpan.FromSeconds(10), TimeSpan.FromHours(1), new Random(seed));
            return Enumerable.Range(1, 6).Select(backoff.DelayAfter).ToList();
        }

        Assert.Equal(Run(7), Run(7));
        Assert.NotEqual(Run(7), Run(8));
    }

    [Fact]
    public void Huge_attempt_numbers_stay_at_the_cap()
    {
        var backoff = new RetryBackoff(TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(5), new Random(1));

        Assert.InRange(backoff.DelayAfter(10_000).TotalMinutes, 2.5, 5);
    }
}
