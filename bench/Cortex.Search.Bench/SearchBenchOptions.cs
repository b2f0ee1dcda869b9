using System.Globalization;

namespace Cortex.Search.Bench;

/// <summary>Command-line settings of the search benchmark.</summary>
internal sealed record SearchBenchOptions(Uri Url, string Key, string ConnectionString, int Items, int Queries, int WorkerItems)
{
    public static SearchBenchOptions? Parse(string[] args)
    {
        string? url = null, key = null, connectionString = null;
        int items = 100_000, queries = 200, workerItems = 1_000;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            var value = args[i + 1];
            switch (args[i])
            {
                case "--url":
                    url = value;
                    break;
                case "--key":
                    key = value;
                    break;
                case "--db":
                    connectionString = value;
                    break;
                case "--items":
                    items = int.Parse(value, CultureInfo.InvariantCulture);
                    break;
                case "--queries":
                    queries = int.Parse(value, CultureInfo.InvariantCulture);
                    break;
                case "--worker-items":
                    workerItems = int.Parse(value, CultureInfo.InvariantCulture);
                    break;
                default:
                    return null;
            }
        }

        return url is null || key is null || connectionString is null || items < 1 || queries < 1 || workerItems < 1
            ? null
            : new SearchBenchOptions(new Uri(url), key, connectionString, items, queries, workerItems);
    }
}
