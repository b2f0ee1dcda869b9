using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cortex.Crdt;
using Cortex.Crdt.Core;

// Replays the automerge-paper trace in Cortex.Crdt and in yjs (Node, tests/yjs-interop) in the same run and prints
// apply/encode/parse times, encoded size, C# managed memory and the C#/yjs ratios. Medians over the measured iterations.
var iterations = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5;
var root = FindRepoRoot();
var tracePath = Path.GetFullPath(Path.Combine(root, "..", "shared", "data", "editing-traces", "automerge-paper.json.gz"));
var interop = Path.Combine(root, "tests", "yjs-interop");
var trace = LoadTrace(tracePath);
Console.WriteLine($"automerge-paper: {trace.Txns.Count:N0} transactions, {trace.Txns.Sum(t => t.Count):N0} patches");

// Warm-up rounds let the JIT (tiered compilation) and V8 reach their optimised code before measuring.
const int warmups = 2;
var cs = new List<(double Apply, double Encode, double Parse, int Size, long Memory)>();
for (var i = 0; i < warmups + iterations; i++)
{
    var result = RunCSharp(trace);
    if (i >= warmups)
    {
        cs.Add(result);
    }
}

EnsureNodePackages(interop);
var js = RunYjs(interop, tracePath, warmups + iterations).Skip(warmups).ToList();

static double Median(IEnumerable<double> values)
{
    var sorted = values.OrderBy(v => v).ToArray();
    return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
}

var csApply = Median(cs.Select(r => r.Apply));
var csEncode = Median(cs.Select(r => r.Encode));
var csParse = Median(cs.Select(r => r.Parse));
var jsApply = Median(js.Select(r => r.Apply));
var jsEncode = Median(js.Select(r => r.Encode));
var jsParse = Median(js.Select(r => r.Parse));
Console.WriteLine();
Console.WriteLine($"{"",-22}{"C# (Cortex.Crdt)",18}{"yjs 13.6.33",16}{"C#/yjs",10}");
Console.WriteLine($"{"apply (ms)",-22}{csApply,18:F1}{jsApply,16:F1}{csApply / jsApply,10:F2}");
Console.WriteLine($"{"encode (ms)",-22}{csEncode,18:F2}{jsEncode,16:F2}{csEncode / jsEncode,10:F2}");
Console.WriteLine($"{"parse (ms)",-22}{csParse,18:F2}{jsParse,16:F2}{csParse / jsParse,10:F2}");
Console.WriteLine($"{"encoded size (bytes)",-22}{cs[0].Size,18:N0}{js[0].Size,16:N0}{(double)cs[0].Size / js[0].Size,10:F2}");
Console.WriteLine($"{"C# managed memory",-22}{cs[0].Memory / 1024.0 / 1024.0,15:F1} MB");
Console.WriteLine($"(medians of {iterations} iterations after {warmups} warm-ups; goal: apply ratio <= 0.5, encode/parse <= 1, size 1.00)");

static (double Apply, double Encode, double Parse, int Size, long Memory) RunCSharp(Trace trace)
{
    GC.Collect();
    GC.WaitForPendingFinalizers();
    GC.Collect();
    var before = GC.GetTotalMemory(true);
    var sw = Stopwatch.StartNew();
    var doc = new Doc(1);
    var text = doc.GetText("text");
    foreach (var txn in trace.Txns)
    {
        doc.Transact(_ =>
        {
            foreach (var (pos, del, ins) in txn)
            {
                if (del > 0)
                {
                    text.Delete(pos, del);
                }

                if (ins.Length > 0)
                {
                    text.Insert(pos, ins);
                }
            }
        });
    }

    var apply = sw.Elapsed.TotalMilliseconds;
    var memory = GC.GetTotalMemory(true) - before;
    sw.Restart();
    var update = Y.EncodeStateAsUpdate(doc);
    var encode = sw.Elapsed.TotalMilliseconds;
    sw.Restart();
    var parsed = new Doc(2);
    Y.ApplyUpdate(parsed, update);
    var parse = sw.Elapsed.TotalMilliseconds;
    if (parsed.GetText("text").ToString() != trace.EndContent || text.ToString() != trace.EndContent)
    {
        throw new InvalidOperationException("C# replay diverged from endContent");
    }

    GC.KeepAlive(doc);
    return (apply, encode, parse, update.Length, memory);
}

static List<(double Apply, double Encode, double Parse, int Size)> RunYjs(string dir, string tracePath, int iterations)
{
    var psi = new ProcessStartInfo("node", "harness.mjs")
    {
        WorkingDirectory = dir,
        RedirectStandardInput = true,
        RedirectStandardOutput = true,
        UseShellExecute = false,
    };
    using var node = Process.Start(psi) ?? throw new InvalidOperationException("Could not start node");
    var request = new JsonObject { ["id"] = 1, ["cmd"] = "bench", ["path"] = tracePath, ["clientId"] = 1, ["iterations"] = iterations };
    node.StandardInput.WriteLine(request.ToJsonString());
    var reply = JsonNode.Parse(node.StandardOutput.ReadLine() ?? throw new InvalidOperationException("node exited"))!;
    node.StandardInput.Close();
    node.WaitForExit();
    if (reply["ok"]?.GetValue<bool>() != true)
    {
        throw new InvalidOperationException("yjs benchmark failed: " + reply["error"]);
    }

    return [.. reply["results"]!.AsArray().Select(r => (
        r!["applyMs"]!.GetValue<double>(),
        r["encodeMs"]!.GetValue<double>(),
        r["parseMs"]!.GetValue<double>(),
        r["size"]!.GetValue<int>()))];
}

static void EnsureNodePackages(string dir)
{
    if (Directory.Exists(Path.Combine(dir, "node_modules", "yjs")))
    {
        return;
    }

    using var npm = Process.Start(new ProcessStartInfo("npm", "ci --no-audit --no-fund") { WorkingDirectory = dir }) ?? throw new InvalidOperationException("Could not start npm");
    npm.WaitForExit();
    if (npm.ExitCode != 0)
    {
        throw new InvalidOperationException("npm ci failed");
    }
}

static string FindRepoRoot()
{
    var dir = new DirectoryInfo(AppContext.BaseDirectory);
    while (dir != null && !File.Exists(Path.Combine(dir.FullName, "Cortex.sln")))
    {
        dir = dir.Parent;
    }

    return dir?.FullName ?? throw new InvalidOperationException("Run from inside the repository");
}

static Trace LoadTrace(string path)
{
    using var file = File.OpenRead(path);
    using var gz = new GZipStream(file, CompressionMode.Decompress);
    using var doc = JsonDocument.Parse(gz);
    var txns = doc.RootElement.GetProperty("txns").EnumerateArray()
        .Select(t => t.GetProperty("patches").EnumerateArray().Select(p => (p[0].GetInt32(), p[1].GetInt32(), p[2].GetString()!)).ToList())
        .ToList();
    return new Trace(txns, doc.RootElement.GetProperty("endContent").GetString()!);
}

internal sealed record Trace(List<List<(int Pos, int Del, string Ins)>> Txns, string EndContent);
