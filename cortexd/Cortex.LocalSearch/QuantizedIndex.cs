using System.Numerics;
using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;

namespace Cortex.LocalSearch;

/// <summary>
/// An in-memory copy of the replica's vectors, quantized twice: 1 bit a dimension (48 bytes an item) for a
/// Hamming scan of everything, and 8 bits a dimension with a scale (388 bytes) to re-rank the scan's
/// candidates; about 45 MB at 100,000 items. sqlite-vec's vec0 KNN over the same bits costs time in
/// proportion to k (measured ~23 ms CPU for k = 200 at 100,000 items), and bits alone need about a thousand
/// candidates for recall@10 ≥ 0.95; here the scan costs the same for any k and the int8 re-rank of a thousand
/// candidates takes well under a millisecond (README.md has the figures). Only the final few are scored with
/// the full-precision vectors in SQLite. The index follows the replica by replaying <c>search_vec_log</c>,
/// which the triggers append to, so writers need not know it exists.
/// </summary>
internal sealed class QuantizedIndex
{
    private const int Words = VectorBlob.Dimensions / 64;

    private readonly Lock _gate = new();
    private readonly Dictionary<long, int> _slots = [];
    private readonly Stack<int> _free = new();
    private readonly Dictionary<string, int> _subcortexIds = new(StringComparer.Ordinal);

    private ulong[] _codes = new ulong[Words * 1024];
    private sbyte[] _bytes = new sbyte[VectorBlob.Dimensions * 1024];
    private float[] _scales = new float[1024];
    private long[] _rowIds = new long[1024];
    private int[] _subcortex = new int[1024];
    private byte[] _kind = new byte[1024];
    private byte[] _trust = new byte[1024];
    private long[] _updated = new long[1024];
    private int _count;
    private long _lastSeq = -1;

    /// <summary>
    /// Row ids of the <paramref name="keep"/> items that pass the filter and are nearest by int8 dot product
    /// among the <paramref name="candidates"/> nearest by Hamming distance, best first.
    /// </summary>
    public List<long> Nearest(SqliteConnection connection, ReadOnlySpan<float> queryVector, SearchFilter filter, int candidates, int keep)
    {
        Span<ulong> bits = stackalloc ulong[Words];
        Span<sbyte> bytes = stackalloc sbyte[VectorBlob.Dimensions];
        QuantizeBits(queryVector, bits);
        QuantizeBytes(queryVector, bytes);
        lock (_gate)
        {
            Refresh(connection);
            var slots = Scan(bits, Compile(filter), candidates);
            return Rerank(slots, bytes, keep);
        }
    }

    /// <summary>Sign bits, first dimension in the lowest bit (the layout of sqlite-vec's vec_quantize_binary).</summary>
    private static void QuantizeBits(ReadOnlySpan<float> vector, Span<ulong> bits)
    {
        bits.Clear();
        for (var d = 0; d < vector.Length; d++)
        {
            if (vector[d] > 0)
            {
                bits[d >> 6] |= 1UL << (d & 63);
            }
        }
    }

    /// <summary>Symmetric int8 with one scale a vector; returns the scale.</summary>
    private static float QuantizeBytes(ReadOnlySpan<float> vector, Span<sbyte> bytes)
    {
        var max = 0f;
        foreach (var x in vector)
        {
            max = Math.Max(max, Math.Abs(x));
        }

        var scale = max > 0 ? max / 127f : 1f;
        for (var d = 0; d < vector.Length; d++)
        {
            bytes[d] = (sbyte)Math.Clamp(MathF.Round(vector[d] / scale), -127, 127);
        }

        return scale;
    }

    private void Refresh(SqliteConnection connection)
    {
        long first;
        long last;
        using (var bounds = connection.CreateCommand())
        {
            // Two subqueries: SQLite answers min() or max() alone from the primary key, but both at once by a full scan.
            bounds.CommandText = "SELECT coalesce((SELECT min(seq) FROM search_vec_log), 0), coalesce((SELECT max(seq) FROM search_vec_log), 0)";
            using var reader = bounds.ExecuteReader();
            reader.Read();
            first = reader.GetInt64(0);
            last = reader.GetInt64(1);
        }

        if (last == _lastSeq)
        {
            return;
        }

        // Never loaded, fallen behind the kept log, or a log that went backwards (replaced file, rolled back writes).
        if (_lastSeq < 0 || last < _lastSeq || _lastSeq < first - 1)
        {
            Clear();
            Load(connection, "", null);
        }
        else
        {
            Load(connection, "AND rowid IN (SELECT item_rowid FROM search_vec_log WHERE seq > $since)", _lastSeq);
        }

        _lastSeq = last;
    }

    private void Load(SqliteConnection connection, string restriction, long? since)
    {
        var seen = new HashSet<long>();
        if (since is { } after)
        {
            using var changed = connection.CreateCommand();
            changed.CommandText = "SELECT DISTINCT item_rowid FROM search_vec_log WHERE seq > $since";
            changed.Parameters.AddWithValue("$since", after);
            using var reader = changed.ExecuteReader();
            while (reader.Read())
            {
                seen.Add(reader.GetInt64(0));
            }

            foreach (var rowId in seen)
            {
                Remove(rowId);
            }
        }

        using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT rowid, embedding, subcortex, kind, trust, updated FROM search_item
            WHERE quarantined = 0 AND embedding IS NOT NULL {restriction}
            """;
        if (since is { } sinceSeq)
        {
            command.Parameters.AddWithValue("$since", sinceSeq);
        }

        using var rows = command.ExecuteReader();
        while (rows.Read())
        {
            Add(
                rows.GetInt64(0),
                MemoryMarshal.Cast<byte, float>((byte[])rows.GetValue(1)),
                rows.GetString(2),
                (byte)SearchText.ParseKind(rows.GetString(3)),
                (byte)SearchText.ParseTrust(rows.GetString(4)),
                rows.GetInt64(5));
        }
    }

    private void Add(long rowId, ReadOnlySpan<float> vector, string subcortex, byte kind, byte trust, long updated)
    {
        if (!_free.TryPop(out var slot))
        {
            slot = _count++;
            if (slot == _rowIds.Length)
            {
                Grow();
            }
        }

        if (!_subcortexIds.TryGetValue(subcortex, out var subcortexId))
        {
            _subcortexIds[subcortex] = subcortexId = _subcortexIds.Count;
        }

        QuantizeBits(vector, _codes.AsSpan(slot * Words, Words));
        _scales[slot] = QuantizeBytes(vector, _bytes.AsSpan(slot * VectorBlob.Dimensions, VectorBlob.Dimensions));
        _rowIds[slot] = rowId;
        _subcortex[slot] = subcortexId;
        _kind[slot] = kind;
        _trust[slot] = trust;
        _updated[slot] = updated;
        _slots[rowId] = slot;
    }

    private void Remove(long rowId)
    {
        if (_slots.Remove(rowId, out var slot))
        {
            _rowIds[slot] = -1;
            _free.Push(slot);
        }
    }

    private void Clear()
    {
        _slots.Clear();
        _free.Clear();
        _count = 0;
    }

    private void Grow()
    {
        var size = _rowIds.Length * 2;
        Array.Resize(ref _codes, size * Words);
        Array.Resize(ref _bytes, size * VectorBlob.Dimensions);
        Array.Resize(ref _scales, size);
        Array.Resize(ref _rowIds, size);
        Array.Resize(ref _subcortex, size);
        Array.Resize(ref _kind, size);
        Array.Resize(ref _trust, size);
        Array.Resize(ref _updated, size);
    }

    private CompiledFilter Compile(SearchFilter filter)
    {
        bool[]? subcortexes = null;
        if (filter.Subcortexes is { Count: > 0 } slugs)
        {
            subcortexes = new bool[_subcortexIds.Count];
            foreach (var slug in slugs)
            {
                if (_subcortexIds.TryGetValue(slug, out var id))
                {
                    subcortexes[id] = true;
                }
            }
        }

        var kinds = filter.Kinds is { Count: > 0 } k ? k.Aggregate(0, (mask, kind) => mask | (1 << (int)kind)) : -1;
        var trusts = filter.TrustLevels is { Count: > 0 } t ? t.Aggregate(0, (mask, trust) => mask | (1 << (int)trust)) : -1;
        return new CompiledFilter(
            subcortexes, kinds, trusts,
            filter.UpdatedFrom?.ToUnixTimeMilliseconds() ?? long.MinValue,
            filter.UpdatedTo?.ToUnixTimeMilliseconds() ?? long.MaxValue);
    }

    private List<int> Scan(ReadOnlySpan<ulong> query, CompiledFilter filter, int k)
    {
        // Distances are 0..384, so a histogram finds the k-th smallest without sorting.
        var distances = new short[_count];
        Span<int> histogram = stackalloc int[VectorBlob.Dimensions + 1];
        histogram.Clear();
        ReadOnlySpan<ulong> codes = _codes;
        var (q0, q1, q2, q3, q4, q5) = (query[0], query[1], query[2], query[3], query[4], query[5]);
        for (var slot = 0; slot < _count; slot++)
        {
            if (_rowIds[slot] < 0 || !filter.Accepts(_subcortex[slot], _kind[slot], _trust[slot], _updated[slot]))
            {
                distances[slot] = -1;
                continue;
            }

            var c = codes.Slice(slot * Words, Words);
            var distance = BitOperations.PopCount(q0 ^ c[0]) + BitOperations.PopCount(q1 ^ c[1]) + BitOperations.PopCount(q2 ^ c[2])
                + BitOperations.PopCount(q3 ^ c[3]) + BitOperations.PopCount(q4 ^ c[4]) + BitOperations.PopCount(q5 ^ c[5]);
            distances[slot] = (short)distance;
            histogram[distance]++;
        }

        var threshold = 0;
        for (var taken = 0; threshold <= VectorBlob.Dimensions; threshold++)
        {
            taken += histogram[threshold];
            if (taken >= k)
            {
                break;
            }
        }

        var nearest = new List<int>(k);
        var atThreshold = new List<int>();
        for (var slot = 0; slot < _count; slot++)
        {
            var distance = distances[slot];
            if (distance < 0 || distance > threshold)
            {
                continue;
            }

            (distance < threshold ? nearest : atThreshold).Add(slot);
        }

        nearest.AddRange(atThreshold.Take(k - nearest.Count));
        return nearest;
    }

    private List<long> Rerank(List<int> slots, ReadOnlySpan<sbyte> query, int keep)
    {
        var scored = new (float Score, int Slot)[slots.Count];
        for (var i = 0; i < slots.Count; i++)
        {
            var slot = slots[i];
            var item = _bytes.AsSpan(slot * VectorBlob.Dimensions, VectorBlob.Dimensions);
            var dot = 0;
            for (var d = 0; d < item.Length; d++)
            {
                dot += query[d] * item[d];
            }

            scored[i] = (dot * _scales[slot], slot);
        }

        // Best first; equal scores in slot order, so results are deterministic.
        Array.Sort(scored, (a, b) => a.Score != b.Score ? b.Score.CompareTo(a.Score) : a.Slot.CompareTo(b.Slot));
        return [.. scored.Take(keep).Select(s => _rowIds[s.Slot])];
    }

    private sealed record CompiledFilter(bool[]? Subcortexes, int Kinds, int Trusts, long From, long To)
    {
        public bool Accepts(int subcortex, byte kind, byte trust, long updated) =>
            (Subcortexes is null || (subcortex < Subcortexes.Length && Subcortexes[subcortex]))
            && (Kinds & (1 << kind)) != 0
            && (Trusts & (1 << trust)) != 0
            && updated >= From && updated <= To;
    }
}
