using Cortex.Crdt.Encoding;
using Cortex.Crdt.Structs;

namespace Cortex.Crdt.Core;

/// <summary>All structs of a document, per client, sorted by clock without gaps.</summary>
public sealed class StructStore
{
    internal Dictionary<long, List<AbstractStruct>> Clients { get; } = [];

    /// <summary>Structs that could not be integrated yet (a v1 update) and the lowest missing clock per client.</summary>
    internal PendingStructs? PendingStructs { get; set; }

    /// <summary>Delete ranges for structs not received yet, as a v1 update with no structs.</summary>
    internal byte[]? PendingDeleteSet { get; set; }

    public bool HasPending => PendingStructs != null || PendingDeleteSet != null;

    public long GetState(long client)
    {
        if (!Clients.TryGetValue(client, out var structs) || structs.Count == 0)
        {
            return 0;
        }

        var last = structs[^1];
        return last.Clock + last.Length;
    }

    public Dictionary<long, long> GetStateVector()
    {
        var sv = new Dictionary<long, long>(Clients.Count);
        foreach (var (client, structs) in Clients)
        {
            if (structs.Count > 0)
            {
                var last = structs[^1];
                sv[client] = last.Clock + last.Length;
            }
        }

        return sv;
    }

    internal void AddStruct(AbstractStruct s)
    {
        if (!Clients.TryGetValue(s.Client, out var structs))
        {
            structs = [];
            Clients[s.Client] = structs;
        }
        else
        {
            var last = structs[^1];
            if (last.Clock + last.Length != s.Clock)
            {
                throw new InvalidOperationException("Struct store would get a gap");
            }
        }

        structs.Add(s);
    }

    /// <summary>Binary search for the struct containing <paramref name="clock"/>.</summary>
    internal static int FindIndex(List<AbstractStruct> structs, long clock)
    {
        var left = 0;
        var right = structs.Count - 1;
        if (right < 0)
        {
            throw new InvalidOperationException("Empty struct list");
        }

        var mid = structs[right];
        if (mid.Clock == clock)
        {
            return right;
        }

        // Guess by proportion first: clocks are dense, so this usually lands on or near the target.
        var midIndex = (int)Math.Min(right, Math.Max(0, clock * right / Math.Max(1, mid.Clock + mid.Length - 1)));
        while (left <= right)
        {
            mid = structs[midIndex];
            var midClock = mid.Clock;
            if (midClock <= clock)
            {
                if (clock < midClock + mid.Length)
                {
                    return midIndex;
                }

                left = midIndex + 1;
            }
            else
            {
                right = midIndex - 1;
            }

            midIndex = (left + right) >> 1;
        }

        throw new InvalidOperationException("Clock not found in struct store");
    }

    internal AbstractStruct Find(Id id)
    {
        var structs = Clients[id.Client];
        return structs[FindIndex(structs, id.Clock)];
    }

    internal static int FindIndexCleanStart(Transaction? transaction, List<AbstractStruct> structs, long clock)
    {
        var index = FindIndex(structs, clock);
        var s = structs[index];
        if (s.Clock < clock && s is Item item)
        {
            structs.Insert(index + 1, item.Split(transaction, (int)(clock - item.Clock)));
            return index + 1;
        }

        return index;
    }

    internal AbstractStruct GetItemCleanStart(Transaction transaction, Id id)
    {
        var structs = Clients[id.Client];
        return structs[FindIndexCleanStart(transaction, structs, id.Clock)];
    }

    internal AbstractStruct GetItemCleanEnd(Transaction transaction, Id id)
    {
        var structs = Clients[id.Client];
        var index = FindIndex(structs, id.Clock);
        var s = structs[index];
        if (id.Clock != s.Clock + s.Length - 1 && s is Item item)
        {
            structs.Insert(index + 1, item.Split(transaction, (int)(id.Clock - s.Clock + 1)));
        }

        return s;
    }

    internal void ReplaceStruct(AbstractStruct old, AbstractStruct replacement)
    {
        var structs = Clients[old.Client];
        structs[FindIndex(structs, old.Clock)] = replacement;
    }

    /// <summary>Calls <paramref name="f"/> for the structs covering [clockStart, clockEnd), splitting at the edges.</summary>
    internal void IterateStructs(Transaction transaction, List<AbstractStruct> structs, long clockStart, long len, Action<AbstractStruct> f)
    {
        if (len == 0)
        {
            return;
        }

        var clockEnd = clockStart + len;
        var index = FindIndexCleanStart(transaction, structs, clockStart);
        AbstractStruct s;
        do
        {
            s = structs[index++];
            if (clockEnd < s.Clock + s.Length)
            {
                FindIndexCleanStart(transaction, structs, clockEnd);
            }

            f(s);
        }
        while (index < structs.Count && structs[index].Clock < clockEnd);
    }

    /// <summary>Delete set covering every deleted struct (including GC) in the store.</summary>
    internal DeleteSet CreateDeleteSet()
    {
        var ds = new DeleteSet();
        foreach (var (client, structs) in Clients)
        {
            List<DeleteRange>? ranges = null;
            for (var i = 0; i < structs.Count; i++)
            {
                var s = structs[i];
                if (s.Deleted)
                {
                    var clock = s.Clock;
                    long len = s.Length;
                    while (i + 1 < structs.Count && structs[i + 1].Deleted)
                    {
                        len += structs[++i].Length;
                    }

                    (ranges ??= []).Add(new DeleteRange(clock, len));
                }
            }

            if (ranges != null)
            {
                ds.Clients[client] = ranges;
            }
        }

        return ds;
    }

    /// <summary>Writes the structs past <paramref name="targetState"/> per client, descending client order.</summary>
    internal void WriteStructs(Lib0Writer writer, IReadOnlyDictionary<long, long> targetState)
    {
        var sm = new List<(long Client, long Clock)>();
        foreach (var (client, clock) in targetState)
        {
            if (GetState(client) > clock)
            {
                sm.Add((client, clock));
            }
        }

        foreach (var (client, structs) in Clients)
        {
            if (structs.Count > 0 && !targetState.ContainsKey(client))
            {
                sm.Add((client, 0));
            }
        }

        sm.Sort((a, b) => b.Client.CompareTo(a.Client));
        writer.WriteVarUint(sm.Count);
        foreach (var (client, clock) in sm)
        {
            WriteClientStructs(writer, Clients[client], client, clock);
        }
    }

    internal static void WriteClientStructs(Lib0Writer writer, List<AbstractStruct> structs, long client, long clock)
    {
        clock = Math.Max(clock, structs[0].Clock);
        var start = FindIndex(structs, clock);
        writer.WriteVarUint(structs.Count - start);
        writer.WriteVarUint(client);
        writer.WriteVarUint(clock);
        var first = structs[start];
        first.Write(writer, (int)(clock - first.Clock));
        for (var i = start + 1; i < structs.Count; i++)
        {
            structs[i].Write(writer, 0);
        }
    }
}

internal sealed record PendingStructs(Dictionary<long, long> Missing, byte[] Update)
{
    public byte[] Update { get; set; } = Update;
}
