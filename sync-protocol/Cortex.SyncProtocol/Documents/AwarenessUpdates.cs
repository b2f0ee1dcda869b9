using Cortex.Crdt.Encoding;

namespace Cortex.SyncProtocol;

/// <summary>One entry of a y-protocols awareness update: a client's presence state (JSON, "null" when it left).</summary>
public sealed record AwarenessEntry(long ClientId, long Clock, string StateJson);

/// <summary>The y-protocols awareness update format (<c>awareness.js</c> <c>encodeAwarenessUpdate</c>).</summary>
public static class AwarenessUpdates
{
    public const int MaxEntries = 1000;

    /// <exception cref="CrdtFormatException">The payload is not an awareness update.</exception>
    public static IReadOnlyList<AwarenessEntry> Decode(byte[] payload)
    {
        var reader = new Lib0Reader(payload);
        var count = reader.ReadLength(3);
        if (count > MaxEntries)
        {
            throw new CrdtFormatException($"An awareness update holds at most {MaxEntries} clients.");
        }

        var entries = new List<AwarenessEntry>(count);
        for (var i = 0; i < count; i++)
        {
            entries.Add(new AwarenessEntry(reader.ReadVarUint(), reader.ReadVarUint(), reader.ReadString()));
        }

        if (reader.HasContent)
        {
            throw new CrdtFormatException("The awareness update has trailing bytes.");
        }

        return entries;
    }

    public static byte[] Encode(IReadOnlyCollection<AwarenessEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var writer = new Lib0Writer();
        writer.WriteVarUint(entries.Count);
        foreach (var entry in entries)
        {
            writer.WriteVarUint(entry.ClientId);
            writer.WriteVarUint(entry.Clock);
            writer.WriteString(entry.StateJson);
        }

        return writer.ToArray();
    }

    /// <summary>The update that tells peers these clients left: y-protocols <c>removeAwarenessStates</c> bumps each
    /// clock by one and sends a null state.</summary>
    public static byte[] Removal(IReadOnlyDictionary<long, long> lastClocks)
    {
        ArgumentNullException.ThrowIfNull(lastClocks);
        return Encode([.. lastClocks.Select(pair => new AwarenessEntry(pair.Key, pair.Value + 1, "null"))]);
    }
}
