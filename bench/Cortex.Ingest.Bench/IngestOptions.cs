using Cortex.Bench;

namespace Cortex.Ingest.Bench;

/// <summary>Command-line settings of the ingestion benchmark.</summary>
internal sealed record IngestOptions(Uri Url, string Key, string ConnectionString, int Rows, int BatchSize, int Clients)
{
    public static IngestOptions? Parse(string[] args)
    {
        if (BenchArguments.Parse(args, "--rows", "--batch", "--clients") is not { } arguments)
        {
            return null;
        }

        var (rows, batchSize, clients) = (arguments.Int("--rows", 200_000), arguments.Int("--batch", 5_000), arguments.Int("--clients", 4));
        return rows < 1 || batchSize is < 1 or > 5_000 || clients < 1
            ? null
            : new IngestOptions(arguments.Url, arguments.Key, arguments.ConnectionString, rows, batchSize, clients);
    }
}
