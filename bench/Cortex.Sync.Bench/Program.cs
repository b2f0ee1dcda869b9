using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Cortex.Replica;
using Cortex.Sync.Bench;
using Npgsql;

// Sync benchmarks (issue 4), each beside a baseline measured in the same run:
//   bootstrap of N items with 384-d vectors into an empty replica   vs  raw Postgres read + raw SQLite insert of the same rows
//   steady-state lag, server commit -> visible in the replica          vs  a plain LISTEN on the feed channel
//   outbox upload after M offline writes                               vs  the same writes through REST, one at a time
// Usage: Cortex.Sync.Bench --url URL --key KEY --db CONNECTION_STRING [--items 100000] [--rate 200] [--seconds 30] [--offline 10000] [--only PHASE]
const int LagWarmUpSeconds = 5;
var options = SyncBenchOptions.Parse(args);
if (options is null)
{
    Console.Error.WriteLine("usage: Cortex.Sync.Bench --url URL --key KEY --db CONNECTION_STRING [--items N] [--rate N] [--seconds N] [--offline N] [--only bootstrap|lag|outbox]");
    return 2;
}

using var api = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { BaseAddress = options.Url, Timeout = TimeSpan.FromMinutes(2) };
api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.Key);
var dataSourceBuilder = new NpgsqlDataSourceBuilder(options.ConnectionString);
dataSourceBuilder.UseVector();
await using var dataSource = dataSourceBuilder.Build();
var stamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
var slug = "sync-bench-" + stamp;
var me = await api.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/principals/me", UriKind.Relative));
using (var created = await api.PostAsJsonAsync(new Uri("/api/v1/subcortexes", UriKind.Relative), new { slug, name = "Sync benchmark" }))
{
    created.EnsureSuccessStatusCode();
}

var subcortex = await api.GetFromJsonAsync<JsonElement>(new Uri($"/api/v1/subcortexes/{slug}", UriKind.Relative));
var workspace = BenchDaemon.NewWorkspace();
var failed = false;
try
{
    if (options.Runs("bootstrap"))
    {
        var prefix = "B" + stamp;
        var seedClock = Stopwatch.StartNew();
        await Seeder.SeedAsync(dataSource, subcortex.GetProperty("id").GetString()!, me.GetProperty("id").GetString()!, options.Items, prefix);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"seeded {options.Items} items with 384-d vectors in {seedClock.Elapsed.TotalSeconds:F1} s"));

        var (rows, pgRead) = await Baselines.ReadPostgresAsync(dataSource, prefix);
        var sqlitePath = Path.Combine(workspace.Root, "baseline.db");
        var sqliteInsert = Baselines.InsertSqlite(rows, sqlitePath);
        var payloadMb = rows.Sum(r => r.Json.Length + r.Embedding.Length) / 1024.0 / 1024.0;
        rows = null;

        var (pull, pullCpu, apply, applyIndexed, pulledChanges) = await Breakdown.RunAsync(options, me.GetProperty("id").GetString()!, Path.Combine(workspace.Root, "breakdown.db"), 1000);
        var cpu = new CpuMeter();
        var clock = Stopwatch.StartNew();
        await using (var daemon = await BenchDaemon.StartAsync(workspace, options))
        {
            await BenchDaemon.WaitCaughtUpAsync(daemon, TimeSpan.FromMinutes(10));
            var elapsed = clock.Elapsed;
            var status = daemon.Replica.GetStatus();
            var synced = status.ItemCounts.Where(c => c.Key is "threads" or "comments" or "observations" or "thread" or "comment" or "observation").Sum(c => c.Value);
            var rate = options.Items / elapsed.TotalSeconds;
            Console.WriteLine();
            Console.WriteLine("bootstrap into an empty replica");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  cortexd bootstrap:        {elapsed.TotalSeconds,7:F2} s  {rate,9:F0} items/s  replica {BenchDaemon.SizeMegabytes(workspace.ReplicaFile):F0} MB  (payload {payloadMb:F0} MB, {synced} items counted)"));
            Console.WriteLine("  CPU during it:            " + CpuMeter.Format(cpu.Elapsed()));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  of which hub pull only:   {pull.TotalSeconds,7:F2} s  {pulledChanges / pull.TotalSeconds,9:F0} changes/s  (batches of 1000, nothing applied)"));
            Console.WriteLine("    CPU during the pull:    " + CpuMeter.Format(pullCpu));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  of which replica apply:   {apply.TotalSeconds,7:F2} s  {pulledChanges / apply.TotalSeconds,9:F0} changes/s  (the pulled batches, no search index)"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  of which apply + index:   {applyIndexed.TotalSeconds,7:F2} s  {pulledChanges / applyIndexed.TotalSeconds,9:F0} changes/s  (the same, with the search index as cortexd keeps it)"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  raw Postgres read:        {pgRead.TotalSeconds,7:F2} s  {options.Items / pgRead.TotalSeconds,9:F0} rows/s"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  raw SQLite insert:        {sqliteInsert.TotalSeconds,7:F2} s  {options.Items / sqliteInsert.TotalSeconds,9:F0} rows/s  ({BenchDaemon.SizeMegabytes(sqlitePath):F0} MB)"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  ratio bootstrap / (read + insert): {(pgRead + sqliteInsert).TotalSeconds / elapsed.TotalSeconds,6:P0}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  goal >= 20000 items/s -> {(rate >= 20_000 ? "met" : "missed")}"));
        }
    }

    if (options.Runs("lag"))
    {
        await using var daemon = await BenchDaemon.StartAsync(workspace, options);
        await BenchDaemon.WaitCaughtUpAsync(daemon, TimeSpan.FromMinutes(10));
        // Steady state: the same load for a few seconds first, not counted, so the first stream pages, JIT tiering and
        // pool growth on both ends are not what the percentiles measure.
        await LagRun.RunAsync(daemon, api, dataSource, slug, options.Rate, LagWarmUpSeconds);
        await BenchDaemon.WaitCaughtUpAsync(daemon, TimeSpan.FromMinutes(10));
        var lag = await LagRun.RunAsync(daemon, api, dataSource, slug, options.Rate, options.Seconds);
        var p95 = Percentiles.Of([.. lag.ReplicaLagMs.Order()], 95);
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"steady-state lag at {options.Rate} writes/s for {options.Seconds} s, after {LagWarmUpSeconds} s at that rate not counted ({lag.Written} written, {lag.Failed} failed)"));
        Console.WriteLine("  commit -> replica:        " + Percentiles.Summary(lag.ReplicaLagMs));
        Console.WriteLine("  commit -> LISTEN (floor): " + Percentiles.Summary(lag.NotifyLagMs));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  goal p95 <= 50 ms -> {(p95 <= 50 ? "met" : "missed")}"));
        failed |= lag.ReplicaLagMs.Count != lag.Written;
        // The outbox run starts from a caught-up replica, so it measures uploads, not the rest of this backlog.
        await BenchDaemon.WaitCaughtUpAsync(daemon, TimeSpan.FromMinutes(10));
    }

    if (options.Runs("outbox"))
    {
        var outbox = await OutboxRun.RunAsync(workspace, options, api, slug);
        var rate = outbox.Queued / outbox.Drained.TotalSeconds;
        var restRate = outbox.RestWrites / outbox.RestElapsed.TotalSeconds;
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"outbox upload after {outbox.Queued} offline writes"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  drained in {outbox.Drained.TotalSeconds,7:F2} s  {rate,7:F0} writes/s  ({string.Join(", ", outbox.States.Where(s => s.Value > 0).Select(s => $"{s.Key} {s.Value}"))})"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  REST, one at a time:     {restRate,7:F0} writes/s  ({outbox.RestWrites} writes)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  ratio outbox / REST:     {rate / restRate,7:F2}x"));
        failed |= outbox.States.GetValueOrDefault(OutboxState.Accepted) != outbox.Queued;
    }
}
finally
{
    Directory.Delete(workspace.Root, recursive: true);
}

return failed ? 1 : 0;

