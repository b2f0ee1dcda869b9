using System.IO.Compression;
using System.Text.Json;

namespace Cortex.Crdt.Tests.Support;

/// <summary>An editing trace from ../shared/data/editing-traces (see its README for the format).</summary>
public sealed class EditingTrace
{
    public required string EndContent { get; init; }

    public required List<TraceTransaction> Transactions { get; init; }

    public static EditingTrace Load(string name)
    {
        var path = Path.Combine(YjsHarness.TracesDirectory, name + ".json.gz");
        using var file = File.OpenRead(path);
        using var gz = new GZipStream(file, CompressionMode.Decompress);
        using var doc = JsonDocument.Parse(gz);
        var root = doc.RootElement;
        var txns = new List<TraceTransaction>();
        foreach (var t in root.GetProperty("txns").EnumerateArray())
        {
            var patches = t.GetProperty("patches").EnumerateArray()
                .Select(p => new TracePatch(p[0].GetInt32(), p[1].GetInt32(), p[2].GetString()!))
                .ToList();
            var agent = t.TryGetProperty("agent", out var a) ? a.GetInt32() : 0;
            var parents = t.TryGetProperty("parents", out var ps) ? ps.EnumerateArray().Select(x => x.GetInt32()).ToArray() : [];
            txns.Add(new TraceTransaction(agent, parents, patches));
        }

        var end = root.GetProperty("endContent").GetString()!;
        if (end.Any(char.IsSurrogate) || txns.Any(t => t.Patches.Any(p => p.Inserted.Any(char.IsSurrogate))))
        {
            // Positions count code points; every trace we ship is BMP-only, so they equal UTF-16 offsets.
            throw new InvalidOperationException("Trace contains characters outside the BMP");
        }

        return new EditingTrace { EndContent = end, Transactions = txns };
    }
}

public sealed record TraceTransaction(int Agent, int[] Parents, List<TracePatch> Patches);

public sealed record TracePatch(int Position, int Deleted, string Inserted);
