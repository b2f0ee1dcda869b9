using System.Globalization;

namespace Cortex.Sync.Bench;

/// <summary>Command line: <c>--url URL --key KEY --db CONNECTION_STRING [--items 100000] [--rate 200] [--seconds 30]
/// [--offline 10000] [--only bootstrap|lag|outbox]</c>.</summary>
internal sealed record SyncBenchOptions(
    Uri Url, string Key, string ConnectionString, int Items, int Rate, int Seconds, int OfflineWrites, string? Only)
{
    public static SyncBenchOptions? Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            values[args[i]] = args[i + 1];
        }

        if (!values.TryGetValue("--url", out var url) || !values.TryGetValue("--key", out var key) || !values.TryGetValue("--db", out var db))
        {
            return null;
        }

        return new SyncBenchOptions(
            new Uri(url),
            key,
            db,
            Int(values, "--items", 100_000),
            Int(values, "--rate", 200),
            Int(values, "--seconds", 30),
            Int(values, "--offline", 10_000),
            values.GetValueOrDefault("--only"));
    }

    public bool Runs(string phase) => Only is null || Only == phase;

    private static int Int(Dictionary<string, string> values, string name, int fallback) =>
        values.TryGetValue(name, out var text) ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;
}
