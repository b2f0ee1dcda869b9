using System.Diagnostics;
using System.Globalization;

namespace Cortex.Api.Bench;

internal sealed record LoadResult(string Name, int Clients, TimeSpan Wall, long[] SortedTicks, int Errors)
{
    public const string TableHeader = "| operation | clients | requests | req/s | p50 ms | p95 ms | p99 ms | errors |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |";

    public int Requests => SortedTicks.Length;

    public double RequestsPerSecond => Requests / Wall.TotalSeconds;

    public double P50Ms => PercentileMs(0.50);

    public double P95Ms => PercentileMs(0.95);

    public double P99Ms => PercentileMs(0.99);

    public string ToTableRow() => string.Create(
        CultureInfo.InvariantCulture,
        $"| {Name} | {Clients} | {Requests} | {RequestsPerSecond:F0} | {P50Ms:F2} | {P95Ms:F2} | {P99Ms:F2} | {Errors} |");

    private double PercentileMs(double p)
    {
        if (SortedTicks.Length == 0)
        {
            return double.NaN;
        }
        var index = (int)Math.Min(SortedTicks.Length - 1, Math.Ceiling(p * SortedTicks.Length) - 1);
        return SortedTicks[Math.Max(0, index)] * 1000.0 / Stopwatch.Frequency;
    }
}
