using Cortex.Crdt.Core;
using Cortex.Crdt.Encoding;
using Cortex.Crdt.Structs;

namespace Cortex.Crdt.Updates;

/// <summary>mergeUpdates, diffUpdate and encodeStateVectorFromUpdate on encoded v1 updates, without a document.</summary>
internal static class UpdateMerger
{
    private sealed class Cursor(List<AbstractStruct> structs, bool filterSkips)
    {
        private int _index = -1;

        public AbstractStruct? Current { get; private set; }

        public AbstractStruct? Next()
        {
            do
            {
                _index++;
                Current = _index < structs.Count ? structs[_index] : null;
            }
            while (filterSkips && Current is SkipStruct);

            return Current;
        }
    }

    private sealed class LazyWriter
    {
        private readonly List<(int Written, byte[] Bytes)> _parts = [];
        private Lib0Writer _current = new();
        private long _currentClient;
        private int _written;

        public void Write(AbstractStruct s, int offset)
        {
            if (_written > 0 && _currentClient != s.Client)
            {
                Flush();
            }

            if (_written == 0)
            {
                _currentClient = s.Client;
                _current.WriteVarUint(s.Client);
                _current.WriteVarUint(s.Clock + offset);
            }

            s.Write(_current, offset);
            _written++;
        }

        private void Flush()
        {
            if (_written > 0)
            {
                _parts.Add((_written, _current.ToArray()));
                _current = new Lib0Writer();
                _written = 0;
            }
        }

        public Lib0Writer Finish()
        {
            Flush();
            var writer = new Lib0Writer();
            writer.WriteVarUint(_parts.Count);
            foreach (var (written, bytes) in _parts)
            {
                writer.WriteVarUint(written);
                writer.WriteBytes(bytes);
            }

            return writer;
        }
    }

    private static (List<AbstractStruct> Structs, DeleteSet DeleteSet) Decode(byte[] update)
    {
        var reader = new Lib0Reader(update);
        var structs = StructReader.ReadLazy(reader);
        var ds = DeleteSet.Read(reader);
        return (structs, ds);
    }

    private static AbstractStruct Slice(AbstractStruct left, int diff)
    {
        switch (left)
        {
            case GcStruct:
                return new GcStruct(left.Client, left.Clock + diff, left.Length - diff);
            case SkipStruct:
                return new SkipStruct(left.Client, left.Clock + diff, left.Length - diff);
            default:
                var item = (Item)left;
                return new Item(item.Client, item.Clock + diff, null, new Id(item.Client, item.Clock + diff - 1), null, item.RightOrigin, item.Parent, item.ParentSub, item.Content.Splice(diff))
                {
                    ParentId = item.ParentId,
                    ParentName = item.ParentName,
                };
        }
    }

    /// <summary>Struct lengths are ints here; yjs would accept gaps past 2^31 clocks, which no real update has.</summary>
    private static int ToLength(long length) =>
        length is > 0 and <= int.MaxValue ? (int)length : throw new CrdtFormatException("Clock gap too large to merge");

    public static byte[] Merge(IReadOnlyList<byte[]> updates)
    {
        if (updates.Count == 1)
        {
            return updates[0];
        }

        var decoded = updates.Select(Decode).ToList();
        var cursors = decoded.Select(d => new Cursor(d.Structs, true)).ToList();
        foreach (var c in cursors)
        {
            c.Next();
        }

        var writer = new LazyWriter();
        AbstractStruct? currWrite = null;
        var currOffset = 0;

        // yjs stably re-sorts all readers every round (client descending, clock ascending, non-Skip first). Only the
        // first reader advances per round, so re-inserting it before its first strictly greater peer is equivalent.
        cursors.RemoveAll(c => c.Current == null);
        var sorted = cursors.OrderBy(c => c, CursorComparer.Instance).ToList();
        cursors.Clear();
        cursors.AddRange(sorted);
        var first = true;
        while (true)
        {
            if (!first && cursors.Count > 0)
            {
                var head = cursors[0];
                cursors.RemoveAt(0);
                if (head.Current != null)
                {
                    var lo = 0;
                    var hi = cursors.Count;
                    while (lo < hi)
                    {
                        var mid = (lo + hi) >> 1;
                        if (CursorComparer.Instance.Compare(cursors[mid], head) < 0)
                        {
                            lo = mid + 1;
                        }
                        else
                        {
                            hi = mid;
                        }
                    }

                    cursors.Insert(lo, head);
                }
            }

            first = false;
            if (cursors.Count == 0)
            {
                break;
            }

            var currDecoder = cursors[0];
            var firstClient = currDecoder.Current!.Client;
            if (currWrite != null)
            {
                var curr = currDecoder.Current;
                var iterated = false;
                while (curr != null && curr.Clock + curr.Length <= currWrite.Clock + currWrite.Length && curr.Client >= currWrite.Client)
                {
                    curr = currDecoder.Next();
                    iterated = true;
                }

                if (curr == null || curr.Client != firstClient || (iterated && curr.Clock > currWrite.Clock + currWrite.Length))
                {
                    continue;
                }

                if (firstClient != currWrite.Client)
                {
                    writer.Write(currWrite, currOffset);
                    currWrite = curr;
                    currOffset = 0;
                    currDecoder.Next();
                }
                else if (currWrite.Clock + currWrite.Length < curr.Clock)
                {
                    if (currWrite is SkipStruct)
                    {
                        currWrite.Length = ToLength(curr.Clock + curr.Length - currWrite.Clock);
                    }
                    else
                    {
                        writer.Write(currWrite, currOffset);
                        var diff = curr.Clock - currWrite.Clock - currWrite.Length;
                        currWrite = new SkipStruct(firstClient, currWrite.Clock + currWrite.Length, ToLength(diff));
                        currOffset = 0;
                    }
                }
                else
                {
                    var diff = (int)(currWrite.Clock + currWrite.Length - curr.Clock);
                    if (diff > 0)
                    {
                        if (currWrite is SkipStruct)
                        {
                            currWrite.Length -= diff;
                        }
                        else
                        {
                            curr = Slice(curr, diff);
                        }
                    }

                    if (!(currWrite.GetType() == curr.GetType() && currWrite is not Item && currWrite.MergeWith(curr)))
                    {
                        writer.Write(currWrite, currOffset);
                        currWrite = curr;
                        currOffset = 0;
                        currDecoder.Next();
                    }
                }
            }
            else
            {
                currWrite = currDecoder.Current;
                currOffset = 0;
                currDecoder.Next();
            }

            for (var next = currDecoder.Current;
                next != null && next.Client == firstClient && next.Clock == currWrite!.Clock + currWrite.Length && next is not SkipStruct;
                next = currDecoder.Next())
            {
                writer.Write(currWrite, currOffset);
                currWrite = next;
                currOffset = 0;
            }
        }

        if (currWrite != null)
        {
            writer.Write(currWrite, currOffset);
        }

        var output = writer.Finish();
        DeleteSet.Merge(decoded.Select(d => d.DeleteSet).ToList()).Write(output);
        return output.ToArray();
    }

    private sealed class CursorComparer : IComparer<Cursor>
    {
        public static readonly CursorComparer Instance = new();

        public int Compare(Cursor? x, Cursor? y)
        {
            var a = x!.Current!;
            var b = y!.Current!;
            if (a.Client == b.Client)
            {
                var clockDiff = a.Clock.CompareTo(b.Clock);
                if (clockDiff == 0)
                {
                    return a.GetType() == b.GetType() ? 0 : a is SkipStruct ? 1 : -1;
                }

                return clockDiff;
            }

            return b.Client.CompareTo(a.Client);
        }
    }

    public static byte[] Diff(byte[] update, IReadOnlyDictionary<long, long> state)
    {
        var (structs, ds) = Decode(update);
        var writer = new LazyWriter();
        var reader = new Cursor(structs, false);
        reader.Next();
        while (reader.Current != null)
        {
            var curr = reader.Current;
            var client = curr.Client;
            var svClock = state.TryGetValue(client, out var c) ? c : 0;
            if (curr is SkipStruct)
            {
                reader.Next();
                continue;
            }

            if (curr.Clock + curr.Length > svClock)
            {
                writer.Write(curr, (int)Math.Max(svClock - curr.Clock, 0));
                reader.Next();
                while (reader.Current != null && reader.Current.Client == client)
                {
                    writer.Write(reader.Current, 0);
                    reader.Next();
                }
            }
            else
            {
                while (reader.Current != null && reader.Current.Client == client && reader.Current.Clock + reader.Current.Length <= svClock)
                {
                    reader.Next();
                }
            }
        }

        var output = writer.Finish();
        ds.Write(output);
        return output.ToArray();
    }

    public static byte[] StateVectorFromUpdate(byte[] update)
    {
        var (structs, _) = Decode(update);
        var entries = new Lib0Writer();
        var size = 0;
        if (structs.Count > 0)
        {
            var curr = structs[0];
            var currClient = curr.Client;
            var stopCounting = curr.Clock != 0;
            var currClock = stopCounting ? 0 : curr.Clock + curr.Length;
            for (var i = 0; i < structs.Count; i++)
            {
                curr = structs[i];
                if (currClient != curr.Client)
                {
                    if (currClock != 0)
                    {
                        size++;
                        entries.WriteVarUint(currClient);
                        entries.WriteVarUint(currClock);
                    }

                    currClient = curr.Client;
                    currClock = 0;
                    stopCounting = curr.Clock != 0;
                }

                if (curr is SkipStruct)
                {
                    stopCounting = true;
                }

                if (!stopCounting)
                {
                    currClock = curr.Clock + curr.Length;
                }
            }

            if (currClock != 0)
            {
                size++;
                entries.WriteVarUint(currClient);
                entries.WriteVarUint(currClock);
            }
        }

        var writer = new Lib0Writer();
        writer.WriteVarUint(size);
        writer.WriteBytes(entries.WrittenSpan);
        return writer.ToArray();
    }
}
