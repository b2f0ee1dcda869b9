using System.Globalization;

namespace Cortex.Search.Bench;

internal static class Percentiles
{
    public static double Of(IReadOnlyList<double> values, double percentile)
    {
        var sorted = values.Order().ToArray();
        var rank = (int)Math.Ceiling(percentile / 100 * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
    }

    public static string Row(string name, IReadOnlyList<double> milliseconds) => string.Create(CultureInfo.InvariantCulture,
        $"| {name} | {Of(milliseconds, 50),8:F1} | {Of(milliseconds, 95),8:F1} | {milliseconds.Average(),8:F1} |");
}
