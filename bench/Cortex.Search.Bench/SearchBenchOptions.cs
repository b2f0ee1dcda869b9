using Cortex.Bench;

namespace Cortex.Search.Bench;

/// <summary>Command-line settings of the search benchmark.</summary>
internal sealed record SearchBenchOptions(Uri Url, string Key, string ConnectionString, int Items, int Queries, int WorkerItems)
{
    public static SearchBenchOptions? Parse(string[] args)
    {
        if (BenchArguments.Parse(args, "--items", "--queries", "--worker-items") is not { } arguments)
        {
            return null;
        }

        var (items, queries, workerItems) = (arguments.Int("--items", 100_000), arguments.Int("--queries", 200), arguments.Int("--worker-items", 1_000));
        return items < 1 || queries < 1 || workerItems < 1
            ? null
            : new SearchBenchOptions(arguments.Url, arguments.Key, arguments.ConnectionString, items, queries, workerItems);
    }
}
