using Cortex.Bench;

namespace Cortex.Sync.Bench;

/// <summary>Command line: <c>--url URL --key KEY --db CONNECTION_STRING [--items 100000] [--rate 200] [--seconds 30]
/// [--offline 10000] [--only bootstrap|lag|outbox]</c>.</summary>
internal sealed record SyncBenchOptions(
    Uri Url, string Key, string ConnectionString, int Items, int Rate, int Seconds, int OfflineWrites, string? Only)
{
    public static SyncBenchOptions? Parse(string[] args) =>
        BenchArguments.Parse(args, "--items", "--rate", "--seconds", "--offline", "--only") is { } arguments
            ? new SyncBenchOptions(
                arguments.Url,
                arguments.Key,
                arguments.ConnectionString,
                arguments.Int("--items", 100_000),
                arguments.Int("--rate", 200),
                arguments.Int("--seconds", 30),
                arguments.Int("--offline", 10_000),
                arguments.Text("--only"))
            : null;

    public bool Runs(string phase) => Only is null || Only == phase;
}
