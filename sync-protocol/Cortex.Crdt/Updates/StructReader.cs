using Cortex.Crdt.Core;
using Cortex.Crdt.Encoding;
using Cortex.Crdt.Structs;

namespace Cortex.Crdt.Updates;

/// <summary>Reads the struct section of a v1 update.</summary>
internal static class StructReader
{
    internal sealed class ClientRefs(List<AbstractStruct> refs)
    {
        public List<AbstractStruct> Refs { get; set; } = refs;

        public int Index { get; set; }
    }

    /// <summary>Structs per client for integration into <paramref name="doc"/> (root parents resolved through the doc).</summary>
    public static Dictionary<long, ClientRefs> ReadForDoc(Lib0Reader reader, Doc doc)
    {
        var result = new Dictionary<long, ClientRefs>();
        var numClients = reader.ReadLength(3);
        for (var c = 0; c < numClients; c++)
        {
            var numStructs = reader.ReadLength();
            var client = reader.ReadVarUint();
            var clock = reader.ReadVarUint();
            var refs = new List<AbstractStruct>(numStructs);
            result[client] = new ClientRefs(refs);
            for (var i = 0; i < numStructs; i++)
            {
                var s = ReadStruct(reader, client, clock, doc, lazy: false);
                refs.Add(s);
                clock += s.Length;
            }
        }

        return result;
    }

    /// <summary>All structs in update order, without a document (parents stay names or ids).</summary>
    public static List<AbstractStruct> ReadLazy(Lib0Reader reader)
    {
        var list = new List<AbstractStruct>();
        var numClients = reader.ReadLength(3);
        for (var c = 0; c < numClients; c++)
        {
            var numStructs = reader.ReadLength();
            var client = reader.ReadVarUint();
            var clock = reader.ReadVarUint();
            for (var i = 0; i < numStructs; i++)
            {
                var s = ReadStruct(reader, client, clock, null, lazy: true);
                list.Add(s);
                clock += s.Length;
            }
        }

        return list;
    }

    private static int ReadStructLength(Lib0Reader reader)
    {
        var len = reader.ReadVarUintAsInt();
        return len > 0 ? len : throw new CrdtFormatException("Struct with zero length");
    }

    private static AbstractStruct ReadStruct(Lib0Reader reader, long client, long clock, Doc? doc, bool lazy)
    {
        var info = reader.ReadByte();
        var contentRef = info & 0x1F;
        if (lazy ? info == 10 : contentRef == 10)
        {
            return new SkipStruct(client, clock, ReadStructLength(reader));
        }

        if (contentRef == 0)
        {
            return new GcStruct(client, clock, ReadStructLength(reader));
        }

        Id? origin = (info & 0x80) != 0 ? new Id(reader.ReadVarUint(), reader.ReadVarUint()) : null;
        Id? rightOrigin = (info & 0x40) != 0 ? new Id(reader.ReadVarUint(), reader.ReadVarUint()) : null;
        var cantCopyParentInfo = (info & 0xC0) == 0;
        string? parentName = null;
        Id? parentId = null;
        string? parentSub = null;
        if (cantCopyParentInfo)
        {
            if (reader.ReadVarUint() == 1)
            {
                parentName = reader.ReadString();
            }
            else
            {
                parentId = new Id(reader.ReadVarUint(), reader.ReadVarUint());
            }

            if ((info & 0x20) != 0)
            {
                parentSub = reader.ReadString();
            }
        }

        var content = Content.Read(reader, contentRef);
        if (content.Length <= 0)
        {
            throw new CrdtFormatException("Item with empty content");
        }

        var parent = parentName != null && doc != null ? doc.GetUntyped(parentName) : null;
        return new Item(client, clock, null, origin, null, rightOrigin, parent, parentSub, content)
        {
            ParentId = parentId,
            ParentName = doc == null ? parentName : null,
        };
    }
}
