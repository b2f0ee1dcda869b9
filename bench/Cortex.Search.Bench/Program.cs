using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Cortex.Embeddings;
using Cortex.Search.Bench;
using Npgsql;

// Server search at scale and worker embedding throughput, each beside its baseline measured in the same run:
//   1. worker: N threads inserted in one statement, timed until cortex-worker has embedded all of them, against the
//      model alone embedding the same texts in this process;
//   2. search: 100k observations with vectors, hybrid and semantic search through GET /api/v1/search, against a raw
//      pgvector HNSW query (same ef_search) over the same table; HNSW recall@10 against exact KNN.
// Usage: Cortex.Search.Bench --url URL --key KEY --db CONNECTION_STRING [--items 100000] [--queries 200] [--worker-items 1000]
var options = SearchBenchOptions.Parse(args);
if (options is null)
{
    Console.Error.WriteLine("usage: Cortex.Search.Bench --url URL --key KEY --db CONNECTION_STRING [--items N] [--queries N] [--worker-items N]");
    return 2;
}

using var http = new HttpClient { BaseAddress = options.Url, Timeout = TimeSpan.FromMinutes(2) };
http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.Key);
await using var dataSource = NpgsqlDataSource.Create(options.ConnectionString);
var embedder = MiniLmEmbedder.Shared;
var corpus = SyntheticCorpus.Create(embedder, 400, seed: 7);
var slug = "search-bench-" + DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
using (var created = await http.PostAsJsonAsync(new Uri("/api/v1/subcortexes", UriKind.Relative), new { slug, name = "Search benchmark" }))
{
    created.EnsureSuccessStatusCode();
}

string subcortexId, authorId;
await using (var connection = await dataSource.OpenConnectionAsync())
await using (var lookup = new NpgsqlCommand("SELECT id, created_by FROM subcortexes WHERE slug = @slug", connection))
{
    lookup.Parameters.AddWithValue("slug", slug);
    await using var reader = await lookup.ExecuteReaderAsync();
    await reader.ReadAsync();
    (subcortexId, authorId) = (reader.GetString(0), reader.GetString(1));
}

// 1. Worker throughput. Baseline first, so the two never compete for the cores.
var random = new Random(11);
var texts = Enumerable.Range(0, options.WorkerItems).Select(i => corpus.Item(i, random).Body).ToList();
var raw = Stopwatch.StartNew();
embedder.EmbedBatch([.. texts.Select(t => "Worker item\n\n" + t)]);
raw.Stop();
var workerClock = Stopwatch.StartNew();
await using (var connection = await dataSource.OpenConnectionAsync())
await using (var insert = new NpgsqlCommand(
    """
    INSERT INTO threads (id, subcortex_id, title, kind, body, body_html, author_id)
    SELECT 'WBENCH' || lpad(n::text, 20, '0'), @subcortexId, 'Worker item', 'discussion', body, '', @authorId
    FROM unnest(@bodies) WITH ORDINALITY AS b(body, n)
    """, connection))
{
    insert.Parameters.AddWithValue("subcortexId", subcortexId);
    insert.Parameters.AddWithValue("authorId", authorId);
    insert.Parameters.AddWithValue("bodies", texts.ToArray());
    await insert.ExecuteNonQueryAsync();
}

while (await CountAsync(dataSource, $"SELECT count(*) FROM embeddings WHERE entity = 'thread' AND entity_id LIKE 'WBENCH%'") < options.WorkerItems)
{
    await Task.Delay(100);
}

workerClock.Stop();
var rawRate = options.WorkerItems / raw.Elapsed.TotalSeconds;
var workerRate = options.WorkerItems / workerClock.Elapsed.TotalSeconds;

// 2. Search at scale.
var build = await CorpusLoader.LoadAsync(dataSource, corpus, subcortexId, authorId, options.Items, seed: 13);
var queryRandom = new Random(17);
var queries = Enumerable.Range(0, options.Queries).Select(_ => corpus.Sentences[queryRandom.Next(corpus.Sentences.Count)]
    .Replace("The ", "why does the ", StringComparison.Ordinal).TrimEnd('.')).ToList();
var queryVectors = embedder.EmbedBatch(queries);
for (var i = 0; i < 10; i++)
{
    await SearchAsync(http, slug, queries[i], "hybrid");
    await RawKnnAsync(dataSource, queryVectors[i], exact: false);
}

var hybrid = new List<double>();
var semantic = new List<double>();
var rawHnsw = new List<double>();
var recall = new List<double>();
for (var i = 0; i < queries.Count; i++)
{
    hybrid.Add(await TimeAsync(() => SearchAsync(http, slug, queries[i], "hybrid")));
    semantic.Add(await TimeAsync(() => SearchAsync(http, slug, queries[i], "semantic")));
    List<string> approximate = [];
    rawHnsw.Add(await TimeAsync(async () => approximate = await RawKnnAsync(dataSource, queryVectors[i], exact: false)));
    if (i < 30)
    {
        var exact = await RawKnnAsync(dataSource, queryVectors[i], exact: true);
        recall.Add(approximate.Intersect(exact).Count() / (double)exact.Count);
    }
}

var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"load average {load}; {options.Items} items, {options.Queries} queries, ef_search 100"));
Console.WriteLine();
Console.WriteLine("| embedding path | items | seconds | items/s |");
Console.WriteLine("| --- | ---: | ---: | ---: |");
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| model alone, in process (baseline) | {options.WorkerItems} | {raw.Elapsed.TotalSeconds:F1} | {rawRate:F0} |"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| cortex-worker: insert → vectors stored + fed | {options.WorkerItems} | {workerClock.Elapsed.TotalSeconds:F1} | {workerRate:F0} |"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"worker / model alone: {workerRate / rawRate:P0}"));
Console.WriteLine();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"HNSW build over {options.Items} × 384 with maintenance_work_mem 1GB: {build.TotalSeconds:F1} s"));
Console.WriteLine();
Console.WriteLine("| search path | p50 ms | p95 ms | mean ms |");
Console.WriteLine("| --- | ---: | ---: | ---: |");
Console.WriteLine(Percentiles.Row("raw pgvector HNSW top-10 (baseline, query vector given)", rawHnsw));
Console.WriteLine(Percentiles.Row("GET /search mode=semantic (embeds the query)", semantic));
Console.WriteLine(Percentiles.Row("GET /search mode=hybrid (embeds the query)", hybrid));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"hybrid / raw HNSW: p50 {Percentiles.Of(hybrid, 50) / Percentiles.Of(rawHnsw, 50):F1}×, p95 {Percentiles.Of(hybrid, 95) / Percentiles.Of(rawHnsw, 95):F1}×; HNSW recall@10 vs exact KNN: {recall.Average():F3}"));
return 0;

static async Task<long> CountAsync(NpgsqlDataSource dataSource, string sql)
{
    await using var command = dataSource.CreateCommand(sql);
    return (long)(await command.ExecuteScalarAsync())!;
}

static async Task<double> TimeAsync(Func<Task> action)
{
    var clock = Stopwatch.StartNew();
    await action();
    return clock.Elapsed.TotalMilliseconds;
}

static async Task SearchAsync(HttpClient http, string slug, string query, string mode)
{
    using var response = await http.GetAsync(new Uri(
        $"/api/v1/search?q={Uri.EscapeDataString(query)}&mode={mode}&subcortex={slug}&limit=10", UriKind.Relative));
    response.EnsureSuccessStatusCode();
    using var json = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync());
    if (json.RootElement.GetProperty("items").GetArrayLength() == 0)
    {
        throw new InvalidOperationException($"No hits for '{query}' ({mode}).");
    }
}

static async Task<List<string>> RawKnnAsync(NpgsqlDataSource dataSource, float[] vector, bool exact)
{
    await using var connection = await dataSource.OpenConnectionAsync();
    await using var transaction = await connection.BeginTransactionAsync();
    var settings = exact ? "SET LOCAL enable_indexscan = off" : "SET LOCAL hnsw.ef_search = 100";
    await using (var set = new NpgsqlCommand(settings, connection, transaction))
    {
        await set.ExecuteNonQueryAsync();
    }

    await using var query = new NpgsqlCommand(
        "SELECT entity_id FROM embeddings ORDER BY embedding <=> @q::vector LIMIT 10", connection, transaction);
    query.Parameters.AddWithValue("q", "[" + string.Join(',', vector.Select(v => v.ToString("R", CultureInfo.InvariantCulture))) + "]");
    var ids = new List<string>(10);
    await using (var reader = await query.ExecuteReaderAsync())
    {
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetString(0));
        }
    }

    await transaction.CommitAsync();
    return ids;
}
