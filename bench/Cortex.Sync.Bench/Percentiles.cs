using System.Globalization;

namespace Cortex.Sync.Bench;

internal static class Percentiles
{
    public static double Of(IReadOnlyList<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];

    public static string Summary(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return string.Create(CultureInfo.InvariantCulture,
            $"n={sorted.Count}  p50 {Of(sorted, 50),7:F1} ms  p95 {Of(sorted, 95),7:F1} ms  p99 {Of(sorted, 99),7:F1} ms  max {(sorted.Count > 0 ? sorted[^1] : double.NaN),7:F1} ms");
    }
}
