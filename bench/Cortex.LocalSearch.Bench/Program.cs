using System.Diagnostics;
using System.Globalization;
using Cortex.Embeddings;
using Cortex.LocalSearch;
using Cortex.LocalSearch.Bench;
using Microsoft.Data.Sqlite;

// Issue 5 benchmark: hybrid search latency over a 100,000-item replica with and without query embedding,
// the naive sqlite-vec float KNN in the same run, and recall@10 of the fast vector path against exact KNN.
// Run: dotnet run -c Release --project bench/Cortex.LocalSearch.Bench [-- --items N]
const int Seed = 20261127;
const int BaseSentences = 3000;
const int QueryCount = 200;
const int Warmup = 20;
var itemCount = OptionValue(args, "--items") is { } items ? int.Parse(items, CultureInfo.InvariantCulture) : 100_000;
var keepPath = OptionValue(args, "--keep");
var now = new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

var path = keepPath ?? Path.Combine(Path.GetTempPath(), $"cortex-localsearch-bench-{Environment.ProcessId}.db");
foreach (var file in new[] { path, path + "-wal", path + "-shm" })
{
    File.Delete(file);
}

Console.WriteLine($"Cortex.LocalSearch benchmark: {itemCount:N0} items x 384-d, {QueryCount} queries, {Environment.ProcessorCount} cores");

var clock = Stopwatch.StartNew();
var embedder = MiniLmEmbedder.Shared;
embedder.Embed("warm up");
Console.WriteLine($"model loaded in {clock.Elapsed.TotalSeconds:F1} s");

clock.Restart();
var corpus = new SyntheticCorpus(Seed, BaseSentences, embedder);
Console.WriteLine($"embedded {BaseSentences:N0} base sentences in {clock.Elapsed.TotalSeconds:F1} s");

try
{
    using var replica = SearchDatabase.Open(path);
    clock.Restart();
    Build(replica, corpus, itemCount, now);
    Console.WriteLine($"built the replica (FTS5 + bit vec0 + bench-only float vec0) in {clock.Elapsed.TotalSeconds:F1} s, {new FileInfo(path).Length / 1_048_576.0:F0} MiB");

    var queries = Queries(corpus, now);
    var vectors = embedder.EmbedBatch([.. queries.Select(q => q.Query)]);
    var search = new HybridSearch(embedder, HybridSearchOptions.Default with { TimeProvider = new FixedClock(now) });
    var sqliteVecPath = new HybridSearch(null, HybridSearchOptions.Default with { VectorPath = VectorPath.SqliteVecBits, VectorCandidates = 200 });

    clock.Restart();
    search.NearestByVector(replica, vectors[0], 10);
    Console.WriteLine($"loaded the in-memory quantized index in {clock.Elapsed.TotalMilliseconds:F0} ms");

    for (var i = 0; i < Warmup; i++)
    {
        search.Search(replica, queries[i], vectors[i]);
        sqliteVecPath.NearestByVector(replica, vectors[i], 10);
        FloatKnn(replica, vectors[i], 10);
    }

    var hybrid = Measure(i => search.Search(replica, queries[i], vectors[i]));
    var hybridEmbedded = Measure(i => search.Search(replica, queries[i]));
    var embedOnly = Measure(i => embedder.Embed(queries[i].Query));
    var keyword = Measure(i => search.Search(replica, queries[i] with { Mode = SearchMode.Keyword }, null));
    var fast = Measure(i => search.NearestByVector(replica, vectors[i], 10));
    var viaSqliteVec = Measure(i => sqliteVecPath.NearestByVector(replica, vectors[i], 10));
    var naive = Measure(i => FloatKnn(replica, vectors[i], 10));

    var recall = Recall(search, replica, vectors);
    var recallSqliteVec = Recall(sqliteVecPath, replica, vectors);

    Console.WriteLine();
    Console.WriteLine("wall clock per query (the machine is shared: CPU ms is the steadier figure)");
    Console.WriteLine($"{"path",-50}{"p50 ms",9}{"p95 ms",9}{"max ms",9}{"CPU ms",9}");
    Row("hybrid search, query vector given", hybrid);
    Row("hybrid search, embedding the query", hybridEmbedded);
    Row("  query embedding alone", embedOnly);
    Row("  keyword side alone (FTS5 BM25)", keyword);
    Row("  vector: in-memory bits + int8 + re-score", fast);
    Row("  vector: sqlite-vec bit KNN (k=200) + re-score", viaSqliteVec);
    Row("naive sqlite-vec float KNN (vec0 float[384], k=10)", naive);
    Console.WriteLine();
    var candidates = HybridSearchOptions.Default.VectorCandidates;
    Console.WriteLine($"recall@10 vs exact float KNN: fast path ({candidates} bit candidates) {recall:F3}; sqlite-vec bit KNN (200) {recallSqliteVec:F3}");
    Console.WriteLine($"ratio naive float KNN / fast vector path: p50 {naive.P50 / fast.P50:F1}x, p95 {naive.P95 / fast.P95:F1}x, CPU {naive.CpuMs / fast.CpuMs:F1}x");
    Console.WriteLine($"ratio naive float KNN / whole hybrid search: p50 {naive.P50 / hybrid.P50:F1}x, p95 {naive.P95 / hybrid.P95:F1}x, CPU {naive.CpuMs / hybrid.CpuMs:F1}x");
    Console.WriteLine($"ratio sqlite-vec bit path (200) / fast path ({candidates}): p50 {viaSqliteVec.P50 / fast.P50:F1}x, CPU {viaSqliteVec.CpuMs / fast.CpuMs:F1}x");
    Console.WriteLine();
    Console.WriteLine("bit candidates before re-ranking (fast path): recall@10 and latency");
    foreach (var count in new[] { 200, 500, 1000, 2000 })
    {
        var sweep = new HybridSearch(null, HybridSearchOptions.Default with { VectorCandidates = count });
        sweep.NearestByVector(replica, vectors[0], 10); // loads this instance's index outside the timing
        var latency = Measure(i => sweep.NearestByVector(replica, vectors[i], 10));
        Console.WriteLine($"  {count,4} candidates: recall@10 {Recall(sweep, replica, vectors):F3}, p50 {latency.P50:F2} ms, p95 {latency.P95:F2} ms, CPU {latency.CpuMs:F2} ms");
    }

    Console.WriteLine();
    Goal("p95 without embedding <= 10 ms", hybrid.P95 <= 10);
    Goal("p95 with embedding <= 25 ms", hybridEmbedded.P95 <= 25);
    Goal("recall@10 >= 0.95", recall >= 0.95);
}
finally
{
    SqliteConnection.ClearAllPools();
    foreach (var file in keepPath is null ? [path, path + "-wal", path + "-shm"] : Array.Empty<string>())
    {
        File.Delete(file);
    }
}

return 0;

static string? OptionValue(string[] args, string name)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
}

static void Build(SqliteConnection replica, SyntheticCorpus corpus, int count, DateTimeOffset now)
{
    using (var create = replica.CreateCommand())
    {
        create.CommandText = "CREATE VIRTUAL TABLE bench_float USING vec0 (embedding float[384] distance_metric=cosine)";
        create.ExecuteNonQuery();
    }

    var transaction = replica.BeginTransaction();
    var copy = replica.CreateCommand();
    try
    {
        copy.CommandText = "INSERT INTO bench_float (rowid, embedding) SELECT rowid, embedding FROM search_item WHERE id = $id AND quarantined = 0";
        var id = copy.Parameters.Add("$id", SqliteType.Text);
        var written = 0;
        foreach (var item in corpus.Items(count, now))
        {
            copy.Transaction = transaction;
            SearchIndex.Upsert(transaction, item);
            id.Value = item.Id;
            copy.ExecuteNonQuery();
            if (++written % 10_000 == 0)
            {
                transaction.Commit();
                transaction.Dispose();
                transaction = replica.BeginTransaction();
            }
        }

        transaction.Commit();
    }
    finally
    {
        copy.Dispose();
        transaction.Dispose();
    }
}

static List<SearchRequest> Queries(SyntheticCorpus corpus, DateTimeOffset now)
{
    string[] paraphrases =
    [
        "why is the {0} so slow lately", "{0} keeps crashing, what is going on", "the {0} ran out of room",
        "how do we stop the {0} from falling behind", "who knows why the {0} loses data", "the {0} refuses uploads",
        "what should I do when the {0} hangs", "is it normal that the {0} eats all the memory",
    ];
    string[] things = ["sync process", "local copy", "upload queue", "search", "database", "file storage", "login", "editor", "review list", "backup"];
    var queries = new List<SearchRequest>(QueryCount);
    for (var i = 0; i < QueryCount; i++)
    {
        var sentence = corpus.Sentence();
        var words = sentence.Split(' ');
        var natural = string.Join(' ', words.Take(6 + corpus.Next(5)));
        queries.Add((i % 5) switch
        {
            0 => new SearchRequest(natural),
            1 => new SearchRequest(string.Format(CultureInfo.InvariantCulture, corpus.Pick(paraphrases), corpus.Pick(things))),
            2 => new SearchRequest(corpus.Next(2) == 0 ? corpus.Pick(corpus.UsedIdentifiers) : "error " + corpus.Pick(corpus.UsedIdentifiers)),
            3 => new SearchRequest(natural, (i / 5 % 4) switch
            {
                0 => new SearchFilter(Subcortexes: [corpus.Pick(SyntheticCorpus.Subcortexes)]),
                1 => new SearchFilter(Kinds: [SearchItemKind.Thread, SearchItemKind.Artifact]),
                2 => new SearchFilter(TrustLevels: [TrustLevel.Canon, TrustLevel.Accepted]),
                _ => new SearchFilter(UpdatedFrom: now.AddDays(-30)),
            }),
            _ => new SearchRequest(string.Join(' ', words.Skip(1).Take(3))),
        });
    }

    return queries;
}

static List<string> FloatKnn(SqliteConnection replica, float[] vector, int k)
{
    using var command = replica.CreateCommand();
    command.CommandText = """
        SELECT i.id FROM (SELECT rowid, distance FROM bench_float WHERE embedding MATCH $q AND k = $k) AS knn
        JOIN search_item i ON i.rowid = knn.rowid ORDER BY knn.distance
        """;
    command.Parameters.AddWithValue("$q", VectorBlob.ToBlob(vector));
    command.Parameters.AddWithValue("$k", k);
    using var reader = command.ExecuteReader();
    var ids = new List<string>(k);
    while (reader.Read())
    {
        ids.Add(reader.GetString(0));
    }

    return ids;
}

static double Recall(HybridSearch search, SqliteConnection replica, IReadOnlyList<float[]> vectors)
{
    var found = 0;
    var total = 0;
    foreach (var vector in vectors)
    {
        var exact = FloatKnn(replica, vector, 10);
        var fast = search.NearestByVector(replica, vector, 10);
        found += fast.Count(exact.Contains);
        total += exact.Count;
    }

    return (double)found / total;
}

static Latency Measure(Action<int> run)
{
    var samples = new double[QueryCount];
    var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
    for (var i = 0; i < QueryCount; i++)
    {
        var start = Stopwatch.GetTimestamp();
        run(i);
        samples[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds / QueryCount;
    Array.Sort(samples);
    return new Latency(samples[(int)(0.5 * (QueryCount - 1))], samples[(int)Math.Ceiling(0.95 * (QueryCount - 1))], samples[^1], cpu);
}

static void Row(string name, Latency latency) =>
    Console.WriteLine($"{name,-50}{latency.P50,9:F2}{latency.P95,9:F2}{latency.Max,9:F2}{latency.CpuMs,9:F2}");

static void Goal(string goal, bool met) => Console.WriteLine($"{(met ? "MET " : "MISS")} {goal}");

/// <summary>Wall-clock percentiles in ms, and CpuMs: mean process CPU time per query (all threads, ONNX Runtime included).</summary>
internal sealed record Latency(double P50, double P95, double Max, double CpuMs);

internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
