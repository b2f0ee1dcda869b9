using Cortex.Crdt.Core;
using Cortex.Crdt.Encoding;
using Cortex.Crdt.Updates;

namespace Cortex.Crdt;

/// <summary>The yjs update API over v1-encoded updates (names follow yjs: applyUpdate, encodeStateAsUpdate, ...).</summary>
public static class Y
{
    /// <summary>Applies a v1 update. Structs whose dependencies are missing stay pending until they arrive.</summary>
    /// <exception cref="CrdtFormatException">The update is malformed; the document may hold the part applied before the error.</exception>
    public static void ApplyUpdate(Doc doc, byte[] update, object? origin = null)
    {
        ArgumentNullException.ThrowIfNull(doc);
        ArgumentNullException.ThrowIfNull(update);
        Guard(() => doc.Transact(t => UpdateIntegrator.Apply(t, update), origin, local: false));
    }

    /// <summary>Everything <paramref name="doc"/> has beyond <paramref name="encodedStateVector"/>, including pending structs and deletes.</summary>
    public static byte[] EncodeStateAsUpdate(Doc doc, byte[]? encodedStateVector = null)
    {
        ArgumentNullException.ThrowIfNull(doc);
        var target = encodedStateVector == null ? new Dictionary<long, long>() : DecodeStateVector(encodedStateVector);
        var writer = new Lib0Writer();
        doc.Store.WriteStructs(writer, target);
        doc.Store.CreateDeleteSet().Write(writer);
        var updates = new List<byte[]> { writer.ToArray() };
        if (doc.Store.PendingDeleteSet != null)
        {
            updates.Add(doc.Store.PendingDeleteSet);
        }

        if (doc.Store.PendingStructs != null)
        {
            updates.Add(UpdateMerger.Diff(doc.Store.PendingStructs.Update, target));
        }

        return updates.Count > 1 ? UpdateMerger.Merge(updates) : updates[0];
    }

    public static byte[] EncodeStateVector(Doc doc)
    {
        ArgumentNullException.ThrowIfNull(doc);
        return EncodeStateVector(doc.Store.GetStateVector());
    }

    public static byte[] EncodeStateVector(IReadOnlyDictionary<long, long> stateVector)
    {
        ArgumentNullException.ThrowIfNull(stateVector);
        var writer = new Lib0Writer();
        writer.WriteVarUint(stateVector.Count);
        foreach (var (client, clock) in stateVector.OrderByDescending(kv => kv.Key))
        {
            writer.WriteVarUint(client);
            writer.WriteVarUint(clock);
        }

        return writer.ToArray();
    }

    /// <exception cref="CrdtFormatException">Malformed state vector.</exception>
    public static Dictionary<long, long> DecodeStateVector(byte[] encoded)
    {
        ArgumentNullException.ThrowIfNull(encoded);
        var reader = new Lib0Reader(encoded);
        var count = reader.ReadLength(2);
        var sv = new Dictionary<long, long>(count);
        for (var i = 0; i < count; i++)
        {
            var client = reader.ReadVarUint();
            sv[client] = reader.ReadVarUint();
        }

        return sv;
    }

    /// <exception cref="CrdtFormatException">One of the updates is malformed.</exception>
    public static byte[] MergeUpdates(IReadOnlyList<byte[]> updates)
    {
        ArgumentNullException.ThrowIfNull(updates);
        return Guard(() => UpdateMerger.Merge(updates));
    }

    /// <exception cref="CrdtFormatException">The update or the state vector is malformed.</exception>
    public static byte[] DiffUpdate(byte[] update, byte[] encodedStateVector)
    {
        ArgumentNullException.ThrowIfNull(update);
        var sv = DecodeStateVector(encodedStateVector);
        return Guard(() => UpdateMerger.Diff(update, sv));
    }

    /// <exception cref="CrdtFormatException">Malformed update.</exception>
    public static byte[] EncodeStateVectorFromUpdate(byte[] update)
    {
        ArgumentNullException.ThrowIfNull(update);
        return Guard(() => UpdateMerger.StateVectorFromUpdate(update));
    }

    /// <summary>Decodes an update into its structs and delete set, for inspection.</summary>
    /// <exception cref="CrdtFormatException">Malformed update.</exception>
    public static DecodedUpdate DecodeUpdate(byte[] update)
    {
        ArgumentNullException.ThrowIfNull(update);
        return Guard(() =>
        {
            var reader = new Lib0Reader(update);
            var structs = StructReader.ReadLazy(reader);
            var ds = DeleteSet.Read(reader);
            return new DecodedUpdate(structs, ds);
        });
    }

    private static void Guard(Action action) => Guard<object?>(() =>
    {
        action();
        return null;
    });

    /// <summary>
    /// Inconsistent input (e.g. an origin pointing into the future of its own client) surfaces as invariant violations
    /// deep inside integration; report those as format errors with the cause attached.
    /// </summary>
    private static T Guard<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (e is InvalidOperationException or KeyNotFoundException or ArgumentException or IndexOutOfRangeException or InvalidCastException or NullReferenceException or OverflowException)
        {
            throw new CrdtFormatException("Inconsistent update: " + e.Message, e);
        }
    }
}

public sealed record DecodedUpdate(IReadOnlyList<Structs.AbstractStruct> Structs, DeleteSet DeleteSet);
