using System.Globalization;

namespace Cortex.Sync.Bench;

/// <summary>
/// CPU seconds spent by the server, Postgres and this process between two readings, from <c>/proc</c>. On a 2-core box
/// the pipeline's stages compete for the same cores, so where the CPU goes says more than the wall clock of one stage.
/// Exited Postgres backends are counted through their parent's waited-for children times.
/// </summary>
internal sealed class CpuMeter
{
    private static readonly double TicksPerSecond = 100.0;
    private readonly Dictionary<string, double> _start = Read();

    public IReadOnlyDictionary<string, double> Elapsed()
    {
        var now = Read();
        return now.ToDictionary(e => e.Key, e => e.Value - _start.GetValueOrDefault(e.Key));
    }

    public static string Format(IReadOnlyDictionary<string, double> seconds) =>
        string.Join(", ", seconds.Where(s => s.Value > 0.005).OrderByDescending(s => s.Value)
            .Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Key} {s.Value:F2} s")));

    private static Dictionary<string, double> Read()
    {
        var totals = new Dictionary<string, double>(StringComparer.Ordinal);
        var self = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            var pid = Path.GetFileName(directory);
            if (pid.Length == 0 || !char.IsAsciiDigit(pid[0]))
            {
                continue;
            }

            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(directory, "stat"));
            }
            catch (IOException)
            {
                continue;
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }

            var open = stat.IndexOf('(', StringComparison.Ordinal);
            var close = stat.LastIndexOf(')');
            if (open < 0 || close < open)
            {
                continue;
            }

            var name = pid == self ? "bench (cortexd)" : stat[(open + 1)..close];
            if (name is not ("bench (cortexd)" or "cortex-server" or "postgres"))
            {
                continue;
            }

            // Fields after the name: state is field 3, utime 14, stime 15, cutime 16, cstime 17.
            var fields = stat[(close + 2)..].Split(' ');
            var ticks = 0L;
            for (var field = 14; field <= 17; field++)
            {
                ticks += long.Parse(fields[field - 3], CultureInfo.InvariantCulture);
            }

            totals[name] = totals.GetValueOrDefault(name) + (ticks / TicksPerSecond);
        }

        return totals;
    }
}
