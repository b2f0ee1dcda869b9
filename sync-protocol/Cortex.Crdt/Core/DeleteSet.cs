using Cortex.Crdt.Encoding;
using Cortex.Crdt.Structs;

namespace Cortex.Crdt.Core;

public record struct DeleteRange(long Clock, long Length);

/// <summary>Deleted clock ranges per client.</summary>
public sealed class DeleteSet
{
    public Dictionary<long, List<DeleteRange>> Clients { get; } = [];

    public void Add(long client, long clock, long length)
    {
        if (!Clients.TryGetValue(client, out var ranges))
        {
            ranges = [];
            Clients[client] = ranges;
        }

        ranges.Add(new DeleteRange(clock, length));
    }

    public bool IsDeleted(Id id)
    {
        if (!Clients.TryGetValue(id.Client, out var ranges))
        {
            return false;
        }

        var left = 0;
        var right = ranges.Count - 1;
        while (left <= right)
        {
            var mid = (left + right) >> 1;
            var r = ranges[mid];
            if (r.Clock <= id.Clock)
            {
                if (id.Clock < r.Clock + r.Length)
                {
                    return true;
                }

                left = mid + 1;
            }
            else
            {
                right = mid - 1;
            }
        }

        return false;
    }

    public void SortAndMerge()
    {
        foreach (var ranges in Clients.Values)
        {
            SortAndMerge(ranges);
        }
    }

    private static void SortAndMerge(List<DeleteRange> ranges)
    {
        if (ranges.Count > 1)
        {
            // Ranges with equal clocks merge to the same result in any order, so an unstable sort is fine.
            ranges.Sort(static (a, b) => a.Clock.CompareTo(b.Clock));
        }

        var j = 1;
        for (var i = 1; i < ranges.Count; i++)
        {
            var left = ranges[j - 1];
            var right = ranges[i];
            if (left.Clock + left.Length >= right.Clock)
            {
                ranges[j - 1] = left with { Length = Math.Max(left.Length, right.Clock + right.Length - left.Clock) };
            }
            else
            {
                ranges[j++] = right;
            }
        }

        if (ranges.Count > 0)
        {
            ranges.RemoveRange(j, ranges.Count - j);
        }
    }

    public static DeleteSet Merge(IReadOnlyList<DeleteSet> sets)
    {
        var merged = new DeleteSet();
        for (var i = 0; i < sets.Count; i++)
        {
            foreach (var (client, ranges) in sets[i].Clients)
            {
                if (merged.Clients.ContainsKey(client))
                {
                    continue;
                }

                var all = new List<DeleteRange>(ranges);
                for (var k = i + 1; k < sets.Count; k++)
                {
                    if (sets[k].Clients.TryGetValue(client, out var more))
                    {
                        all.AddRange(more);
                    }
                }

                merged.Clients[client] = all;
            }
        }

        merged.SortAndMerge();
        return merged;
    }

    public void Write(Lib0Writer writer)
    {
        writer.WriteVarUint(Clients.Count);
        foreach (var client in Clients.Keys.OrderByDescending(c => c))
        {
            var ranges = Clients[client];
            writer.WriteVarUint(client);
            writer.WriteVarUint(ranges.Count);
            foreach (var r in ranges)
            {
                writer.WriteVarUint(r.Clock);
                writer.WriteVarUint(r.Length);
            }
        }
    }

    public static DeleteSet Read(Lib0Reader reader)
    {
        var ds = new DeleteSet();
        var numClients = reader.ReadLength(2);
        for (var i = 0; i < numClients; i++)
        {
            var client = reader.ReadVarUint();
            var n = reader.ReadLength(2);
            if (n > 0)
            {
                if (!ds.Clients.TryGetValue(client, out var ranges))
                {
                    ranges = new List<DeleteRange>(n);
                    ds.Clients[client] = ranges;
                }

                for (var k = 0; k < n; k++)
                {
                    var clock = reader.ReadVarUint();
                    var len = reader.ReadVarUint();
                    ranges.Add(new DeleteRange(clock, len));
                }
            }
        }

        return ds;
    }
}
