using System.Numerics;
using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;

namespace Cortex.LocalSearch;

/// <summary>
/// An in-memory copy of the replica's 1-bit quantized vectors (48 bytes an item, ~5 MB at 100,000 items) with
/// the filter columns, scanned by Hamming distance in one pass. sqlite-vec's vec0 KNN over the same bits costs
/// time in proportion to k (measured: ~23 ms CPU for k = 200 at 100,000 items) because of how it keeps its
/// top k, and re-scoring needs a few hundred candidates for recall ≥ 0.95; this scan costs the same for any k
/// (README.md has the figures). It is kept current by replaying <c>search_vec_log</c>, which the triggers
/// append to, so writers need not know it exists. Codes come from sqlite-vec's <c>vec_quantize_binary</c>.
/// </summary>
internal sealed class BitIndex
{
    private const int Words = VectorBlob.Dimensions / 64;

    private readonly Lock _gate = new();
    private readonly Dictionary<long, int> _slots = [];
    private readonly Stack<int> _free = new();
    private readonly Dictionary<string, int> _subcortexIds = new(StringComparer.Ordinal);

    private ulong[] _codes = new ulong[Words * 1024];
    private long[] _rowIds = new long[1024];
    private int[] _subcortex = new int[1024];
    private byte[] _kind = new byte[1024];
    private byte[] _trust = new byte[1024];
    private long[] _updated = new long[1024];
    private int _count;
    private long _lastSeq = -1;

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _slots.Count;
            }
        }
    }

    /// <summary>Row ids of the <paramref name="k"/> items nearest by Hamming distance that pass the filter.</summary>
    public List<long> Nearest(SqliteConnection connection, byte[] queryVector, SearchFilter filter, int k)
    {
        var query = QuantizeQuery(connection, queryVector);
        lock (_gate)
        {
            Refresh(connection);
            return Scan(query, Compile(filter), k);
        }
    }

    private static ulong[] QuantizeQuery(SqliteConnection connection, byte[] queryVector)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT vec_quantize_binary($queryVector)";
        command.Parameters.AddWithValue("$queryVector", queryVector);
        return MemoryMarshal.Cast<byte, ulong>((byte[])command.ExecuteScalar()!).ToArray();
    }

    private void Refresh(SqliteConnection connection)
    {
        long first;
        long last;
        using (var bounds = connection.CreateCommand())
        {
            bounds.CommandText = "SELECT coalesce(min(seq), 0), coalesce(max(seq), 0) FROM search_vec_log";
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
            SELECT rowid, vec_quantize_binary(embedding), subcortex, kind, trust, updated FROM search_item
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
                MemoryMarshal.Cast<byte, ulong>((byte[])rows.GetValue(1)),
                rows.GetString(2),
                (byte)SearchText.ParseKind(rows.GetString(3)),
                (byte)SearchText.ParseTrust(rows.GetString(4)),
                rows.GetInt64(5));
        }
    }

    private void Add(long rowId, ReadOnlySpan<ulong> code, string subcortex, byte kind, byte trust, long updated)
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

        code.CopyTo(_codes.AsSpan(slot * Words, Words));
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

    private List<long> Scan(ulong[] query, CompiledFilter filter, int k)
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

        var nearest = new List<long>(k);
        var atThreshold = new List<long>();
        for (var slot = 0; slot < _count; slot++)
        {
            var distance = distances[slot];
            if (distance < 0 || distance > threshold)
            {
                continue;
            }

            (distance < threshold ? nearest : atThreshold).Add(_rowIds[slot]);
        }

        nearest.AddRange(atThreshold.Take(k - nearest.Count));
        return nearest;
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
