using System.Diagnostics;
using System.Globalization;
using Cortex.Embeddings;
using Cortex.LocalSearch;
using Cortex.LocalSearch.Bench;
using Microsoft.Data.Sqlite;

// Issue 5 benchmark: hybrid search latency over a 100,000-item replica with and without query embedding,
// the naive sqlite-vec float KNN in the same run, and recall@10 of the fast vector path against exact KNN.
// Run: dotnet run -c Release --project bench/Cortex.LocalSearch.Bench [-- --items N] [--keep FILE | --reuse FILE] [--slowest N] [--quick]
// --reuse FILE builds the replica into FILE once and reuses it on later runs (same seed, same queries); --slowest N prints
// the N slowest queries with their FTS5 match; --quick measures the search without embedding only; --keyword-budget N
// overrides HybridSearchOptions.KeywordBudget. For iterating.
const int Seed = 20261127;
const int BaseSentences = 3000;
const int QueryCount = 200;
const int Warmup = 20;
var itemCount = OptionValue(args, "--items") is { } items ? int.Parse(items, CultureInfo.InvariantCulture) : 100_000;
var reusePath = OptionValue(args, "--reuse");
var keepPath = OptionValue(args, "--keep") ?? reusePath;
var quick = args.Contains("--quick");
var keywordBudget = OptionValue(args, "--keyword-budget") is { } budget ? int.Parse(budget, CultureInfo.InvariantCulture) : HybridSearchOptions.Default.KeywordBudget;
var slowest = OptionValue(args, "--slowest") is { } show ? int.Parse(show, CultureInfo.InvariantCulture) : 0;
var now = new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

var path = keepPath ?? Path.Combine(Path.GetTempPath(), $"cortex-localsearch-bench-{Environment.ProcessId}.db");
var reuse = reusePath is not null && File.Exists(path);
foreach (var file in reuse ? [] : new[] { path, path + "-wal", path + "-shm" })
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
    using var replica = SearchDatabase.Open(path, sqliteVecIndex: true);
    clock.Restart();
    if (reuse)
    {
        // The queries draw from the same random sequence as the items, so the items are generated again, unwritten.
        foreach (var _ in corpus.Items(itemCount, now))
        {
        }

        Console.WriteLine($"reusing the replica in {path}");
    }
    else
    {
        Build(replica, corpus, itemCount, now);
    }

    Console.WriteLine($"replica (FTS5 + bit vec0 + bench-only float vec0) ready in {clock.Elapsed.TotalSeconds:F1} s, {new FileInfo(path).Length / 1_048_576.0:F0} MiB");

    var queries = Queries(corpus, now);
    var vectors = embedder.EmbedBatch([.. queries.Select(q => q.Query)]);
    var search = new HybridSearch(embedder, HybridSearchOptions.Default with { TimeProvider = new FixedClock(now), KeywordBudget = keywordBudget });
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
    var keyword = Measure(i => search.Search(replica, queries[i] with { Mode = SearchMode.Keyword }, null));
    var agreement = KeywordAgreement(replica, queries, now, keywordBudget);
    if (quick)
    {
        Console.WriteLine($"{"path",-50}{"p50 ms",9}{"p95 ms",9}{"max ms",9}{"CPU ms",9}{"thr p50",9}{"thr p95",9}");
        Row("hybrid search, query vector given", hybrid);
        Row("  keyword side alone (FTS5 BM25)", keyword);
        Console.WriteLine($"keyword top-10 scores equal to BM25 over every match: {agreement:F3}");
        if (slowest > 0)
        {
            Slowest("hybrid, query vector given", slowest, queries, i => search.Search(replica, queries[i], vectors[i]));
            Slowest("keyword side alone", slowest, queries, i => search.Search(replica, queries[i] with { Mode = SearchMode.Keyword }, null));
        }

        return 0;
    }

    var hybridEmbedded = Measure(i => search.Search(replica, queries[i]));
    var embedOnly = Measure(i => embedder.Embed(queries[i].Query));
    var fast = Measure(i => search.NearestByVector(replica, vectors[i], 10));
    var viaSqliteVec = Measure(i => sqliteVecPath.NearestByVector(replica, vectors[i], 10));
    var naive = Measure(i => FloatKnn(replica, vectors[i], 10));

    var recall = Recall(search, replica, vectors);
    if (slowest > 0)
    {
        Slowest("hybrid, query vector given", slowest, queries, i => search.Search(replica, queries[i], vectors[i]));
        Slowest("keyword side alone", slowest, queries, i => search.Search(replica, queries[i] with { Mode = SearchMode.Keyword }, null));
    }

    var recallSqliteVec = Recall(sqliteVecPath, replica, vectors);

    Console.WriteLine();
    Console.WriteLine("wall clock per query (the machine is shared: CPU ms is the steadier figure)");
    Console.WriteLine($"{"path",-50}{"p50 ms",9}{"p95 ms",9}{"max ms",9}{"CPU ms",9}{"thr p50",9}{"thr p95",9}");
    Row("hybrid search, query vector given", hybrid);
    Row("hybrid search, embedding the query", hybridEmbedded);
    Row("  query embedding alone", embedOnly);
    Row("  keyword side alone (FTS5 BM25)", keyword);
    Row("  vector: in-memory bits + int8 + re-score", fast);
    Row("  vector: sqlite-vec bit KNN (k=200) + re-score", viaSqliteVec);
    Row("naive sqlite-vec float KNN (vec0 float[384], k=10)", naive);
    Console.WriteLine();
    var candidates = HybridSearchOptions.Default.VectorCandidates;
    Console.WriteLine($"keyword top-10 scores equal to BM25 over every match (no {keywordBudget:N0}-match budget): {agreement:F3}");
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
    Goal($"  (the search thread's own CPU time: p95 {hybrid.ThreadCpuP95:F2} ms <= 10 ms; waiting for a core excluded)", hybrid.ThreadCpuP95 <= 10);
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
    var threadCpu = new double[QueryCount];
    var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
    for (var i = 0; i < QueryCount; i++)
    {
        var cpuStart = ThreadClock.NowMs();
        var start = Stopwatch.GetTimestamp();
        run(i);
        samples[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        threadCpu[i] = ThreadClock.NowMs() - cpuStart;
    }

    var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds / QueryCount;
    Array.Sort(samples);
    Array.Sort(threadCpu);
    return new Latency(P50(samples), P95(samples), samples[^1], cpu, P50(threadCpu), P95(threadCpu));

    static double P50(double[] sorted) => sorted[(int)(0.5 * (sorted.Length - 1))];

    static double P95(double[] sorted) => sorted[(int)Math.Ceiling(0.95 * (sorted.Length - 1))];
}

// The keyword budget scores a subset of the matches of common terms: at how many of the top 10 keyword positions the
// hit scores what BM25 over every match puts there, averaged over the queries that have keyword hits. Scores, not ids:
// the synthetic items retell the same sentences, so many tie and the ids among equals are arbitrary.
static double KeywordAgreement(SqliteConnection replica, List<SearchRequest> queries, DateTimeOffset now, int budget)
{
    var budgeted = new HybridSearch(null, HybridSearchOptions.Default with { TimeProvider = new FixedClock(now), KeywordBudget = budget });
    var unbounded = new HybridSearch(null, HybridSearchOptions.Default with { TimeProvider = new FixedClock(now), KeywordBudget = int.MaxValue });
    var sum = 0.0;
    var counted = 0;
    foreach (var query in queries)
    {
        var keywordOnly = query with { Mode = SearchMode.Keyword };
        var exact = unbounded.Search(replica, keywordOnly, null).Hits.Select(h => h.Scores.Keyword).ToList();
        if (exact.Count == 0)
        {
            continue;
        }

        var found = budgeted.Search(replica, keywordOnly, null).Hits.Select(h => h.Scores.Keyword).ToList();
        sum += (double)exact.Where((score, k) => k < found.Count && Math.Abs(found[k] - score) < 1e-9).Count() / exact.Count;
        counted++;
    }

    return counted == 0 ? 1 : sum / counted;
}

static void Slowest(string name, int count, List<SearchRequest> queries, Func<int, SearchResponse> run)
{
    Console.WriteLine();
    Console.WriteLine($"slowest {count} queries by thread CPU, {name}: CPU ms, wall ms, query, FTS5 match, keyword hits");
    var timed = new List<(double Cpu, double Ms, int Index, SearchResponse Response)>(QueryCount);
    for (var i = 0; i < QueryCount; i++)
    {
        var cpuStart = ThreadClock.NowMs();
        var start = Stopwatch.GetTimestamp();
        var response = run(i);
        timed.Add((ThreadClock.NowMs() - cpuStart, Stopwatch.GetElapsedTime(start).TotalMilliseconds, i, response));
    }

    foreach (var (cpu, ms, index, response) in timed.OrderByDescending(t => t.Cpu).Take(count))
    {
        var keywordHits = response.Hits.Count(h => h.Scores.KeywordRank is not null);
        Console.WriteLine($"  {cpu,7:F2} {ms,7:F2}  {queries[index].Query}  [{response.Profile.MatchExpression}]  {keywordHits}");
    }
}

static void Row(string name, Latency latency) =>
    Console.WriteLine($"{name,-50}{latency.P50,9:F2}{latency.P95,9:F2}{latency.Max,9:F2}{latency.CpuMs,9:F2}{latency.ThreadCpuP50,9:F2}{latency.ThreadCpuP95,9:F2}");

static void Goal(string goal, bool met) => Console.WriteLine($"{(met ? "MET " : "MISS")} {goal}");

/// <summary>
/// Wall-clock percentiles in ms; CpuMs: mean process CPU time per query (all threads, ONNX Runtime and GC included);
/// ThreadCpu: percentiles of the searching thread's own CPU time, which waiting for a core on a loaded box does not inflate.
/// </summary>
internal sealed record Latency(double P50, double P95, double Max, double CpuMs, double ThreadCpuP50, double ThreadCpuP95);

internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
