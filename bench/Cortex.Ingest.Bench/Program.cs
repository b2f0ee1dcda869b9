using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Cortex.Ingest.Bench;
using Npgsql;

// Observation ingestion throughput through POST /api/v1/observations/batch, beside a raw binary COPY of the same
// number of rows into the same table in the same run (the ceiling). Usage:
//   Cortex.Ingest.Bench --url URL --key KEY --db CONNECTION_STRING [--rows 200000] [--batch 5000] [--clients 4]
var options = IngestOptions.Parse(args);
if (options is null)
{
    Console.Error.WriteLine("usage: Cortex.Ingest.Bench --url URL --key KEY --db CONNECTION_STRING [--rows N] [--batch N<=5000] [--clients N]");
    return 2;
}

const double Goal = 30_000;
using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = options.Clients })
{
    BaseAddress = options.Url,
    Timeout = TimeSpan.FromMinutes(5),
};
http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.Key);
var slug = "ingest-bench-" + DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
using (var created = await http.PostAsJsonAsync(new Uri("/api/v1/subcortexes", UriKind.Relative), new { slug, name = "Ingest benchmark" }).ConfigureAwait(false))
{
    created.EnsureSuccessStatusCode();
}

await using var dataSource = NpgsqlDataSource.Create(options.ConnectionString);

// Warm-up outside the measurements: JIT tiering (a long-running server has long finished it; one small batch left
// the measured run compiling), pools, prepared statements. Tiering counts calls, and most methods run once per request,
// so: a hundred requests of up to 1,000 rows from all clients.
var warmBatch = Math.Min(options.BatchSize, 1_000);
await HttpIngest.RunAsync(http, options with { BatchSize = warmBatch }, slug, SyntheticObservation.Generate("warm", warmBatch * 100, 1))
    .ConfigureAwait(false);

// Each path starts on an idle server: the full-text vectors of what came before are filled in first.
var indexTimeout = TimeSpan.FromMinutes(10);
await IndexCatchUp.WaitAsync(dataSource, indexTimeout).ConfigureAwait(false);
var copyRows = SyntheticObservation.Generate("copy", options.Rows, 7);
var copy = await CopyCeiling.RunAsync(dataSource, slug, copyRows).ConfigureAwait(false);
await IndexCatchUp.WaitAsync(dataSource, indexTimeout).ConfigureAwait(false);
var httpRows = SyntheticObservation.Generate("http", options.Rows, 7);
var (elapsed, createdCount) = await HttpIngest.RunAsync(http, options, slug, httpRows).ConfigureAwait(false);
var (catchUp, unindexed) = await IndexCatchUp.WaitAsync(dataSource, indexTimeout).ConfigureAwait(false);

var copyRate = options.Rows / copy.TotalSeconds;
var httpRate = options.Rows / elapsed.TotalSeconds;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"rows per path: {options.Rows}, batch {options.BatchSize}, clients {options.Clients}"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"raw COPY (ceiling):     {copy.TotalSeconds,7:F2} s  {copyRate,9:F0} rows/s"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"HTTP batch endpoint:    {elapsed.TotalSeconds,7:F2} s  {httpRate,9:F0} observations/s  (created {createdCount})"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ratio HTTP / COPY:      {httpRate / copyRate,7:P0}"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"full-text vectors:     {catchUp.TotalSeconds,7:F2} s after the last batch until all were filled in ({unindexed} rows still without one then)"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"goal >= {Goal:F0} observations/s -> {(httpRate >= Goal ? "met" : "missed")}"));
return createdCount == options.Rows ? 0 : 1;
