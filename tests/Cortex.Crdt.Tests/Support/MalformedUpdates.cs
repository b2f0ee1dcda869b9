using Cortex.Crdt.Encoding;

namespace Cortex.Crdt.Tests.Support;

/// <summary>Hand-built hostile updates shared by the fuzz and command-line tests.</summary>
public static class MalformedUpdates
{
    /// <summary>numClients = 1, numStructs = 2^40: a reader that trusts the count allocates without bound.</summary>
    public static byte[] HugeStructCount => [1, 0x80, 0x80, 0x80, 0x80, 0x80, 0x20, 1, 0];

    /// <summary>Maps nested <paramref name="depth"/> deep: item i has parent = item i-1 (parent info 0 + its id).</summary>
    public static byte[] DeeplyNestedMaps(int depth)
    {
        var w = new Lib0Writer();
        w.WriteVarUint(1);
        w.WriteVarUint(depth);
        w.WriteVarUint(1);
        w.WriteVarUint(0);
        for (var i = 0; i < depth; i++)
        {
            w.WriteByte(0x20 | 7);
            if (i == 0)
            {
                w.WriteVarUint(1);
                w.WriteString("root");
            }
            else
            {
                w.WriteVarUint(0);
                w.WriteVarUint(1);
                w.WriteVarUint(i - 1);
            }

            w.WriteString("k");
            w.WriteVarUint(1);
        }

        w.WriteVarUint(0);
        return w.ToArray();
    }
}
