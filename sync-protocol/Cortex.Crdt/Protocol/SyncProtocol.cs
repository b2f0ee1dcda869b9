using Cortex.Crdt.Core;
using Cortex.Crdt.Encoding;

namespace Cortex.Crdt.Protocol;

/// <summary>
/// y-protocols/sync (v1 updates): step 1 carries a state vector, step 2 the update answering it, update an incremental change.
/// Each message is <c>varUint type</c> followed by <c>varUint8Array payload</c>.
/// </summary>
public static class SyncProtocol
{
    public static void WriteSyncStep1(Lib0Writer writer, Doc doc)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteVarUint((int)SyncMessageType.SyncStep1);
        writer.WriteVarBytes(Y.EncodeStateVector(doc));
    }

    public static void WriteSyncStep2(Lib0Writer writer, Doc doc, byte[]? encodedStateVector = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteVarUint((int)SyncMessageType.SyncStep2);
        writer.WriteVarBytes(Y.EncodeStateAsUpdate(doc, encodedStateVector));
    }

    public static void WriteUpdate(Lib0Writer writer, byte[] update)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteVarUint((int)SyncMessageType.Update);
        writer.WriteVarBytes(update);
    }

    public static byte[] EncodeSyncStep1(Doc doc) => Encode(w => WriteSyncStep1(w, doc));

    public static byte[] EncodeSyncStep2(Doc doc, byte[]? encodedStateVector = null) => Encode(w => WriteSyncStep2(w, doc, encodedStateVector));

    public static byte[] EncodeUpdate(byte[] update) => Encode(w => WriteUpdate(w, update));

    private static byte[] Encode(Action<Lib0Writer> write)
    {
        var writer = new Lib0Writer();
        write(writer);
        return writer.ToArray();
    }

    /// <summary>
    /// Reads one sync message and applies it to <paramref name="doc"/>; a step 1 writes the step 2 answer to <paramref name="reply"/>.
    /// </summary>
    /// <exception cref="CrdtFormatException">Unknown message type or malformed payload.</exception>
    public static SyncMessageType ReadSyncMessage(Lib0Reader reader, Lib0Writer reply, Doc doc, object? origin = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var type = reader.ReadVarUint();
        switch (type)
        {
            case (long)SyncMessageType.SyncStep1:
                WriteSyncStep2(reply, doc, reader.ReadVarBytes());
                return SyncMessageType.SyncStep1;
            case (long)SyncMessageType.SyncStep2:
                Y.ApplyUpdate(doc, reader.ReadVarBytes(), origin);
                return SyncMessageType.SyncStep2;
            case (long)SyncMessageType.Update:
                Y.ApplyUpdate(doc, reader.ReadVarBytes(), origin);
                return SyncMessageType.Update;
            default:
                throw new CrdtFormatException($"Unknown sync message type {type}");
        }
    }

    /// <summary>Convenience: handles a whole message and returns the reply bytes, or null when there is none.</summary>
    public static byte[]? HandleMessage(byte[] message, Doc doc, object? origin = null)
    {
        var reply = new Lib0Writer();
        ReadSyncMessage(new Lib0Reader(message), reply, doc, origin);
        return reply.Length > 0 ? reply.ToArray() : null;
    }
}
