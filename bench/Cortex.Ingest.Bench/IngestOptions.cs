using System.Globalization;

namespace Cortex.Ingest.Bench;

/// <summary>Command-line settings of the ingestion benchmark.</summary>
internal sealed record IngestOptions(Uri Url, string Key, string ConnectionString, int Rows, int BatchSize, int Clients)
{
    public static IngestOptions? Parse(string[] args)
    {
        string? url = null, key = null, connectionString = null;
        int rows = 200_000, batchSize = 5_000, clients = 4;
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
                case "--rows":
                    rows = int.Parse(value, CultureInfo.InvariantCulture);
                    break;
                case "--batch":
                    batchSize = int.Parse(value, CultureInfo.InvariantCulture);
                    break;
                case "--clients":
                    clients = int.Parse(value, CultureInfo.InvariantCulture);
                    break;
                default:
                    return null;
            }
        }

        return url is null || key is null || connectionString is null || rows < 1 || batchSize is < 1 or > 5_000 || clients < 1
            ? null
            : new IngestOptions(new Uri(url), key, connectionString, rows, batchSize, clients);
    }
}
