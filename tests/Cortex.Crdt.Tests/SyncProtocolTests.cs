using Cortex.Crdt.Core;
using Cortex.Crdt.Encoding;
using Cortex.Crdt.Protocol;

namespace Cortex.Crdt.Tests;

public sealed class SyncProtocolTests
{
    [Fact]
    public void Two_docs_sync_with_step1_step2_and_updates()
    {
        var a = new Doc(1);
        var b = new Doc(2);
        a.GetText("t").Insert(0, "from a");
        b.GetMap("m").Set("k", "from b");

        var replyToA = SyncProtocol.HandleMessage(SyncProtocol.EncodeSyncStep1(a), b);
        Assert.NotNull(replyToA);
        Assert.Equal((byte)SyncMessageType.SyncStep2, replyToA![0]);
        Assert.Null(SyncProtocol.HandleMessage(replyToA, a));
        Assert.Null(SyncProtocol.HandleMessage(SyncProtocol.HandleMessage(SyncProtocol.EncodeSyncStep1(b), a)!, b));

        byte[]? forwarded = null;
        a.Updated += (_, e) => forwarded = SyncProtocol.EncodeUpdate(e.Update);
        a.GetText("t").Insert(0, ">");
        Assert.Null(SyncProtocol.HandleMessage(forwarded!, b));

        Assert.Equal(Y.EncodeStateAsUpdate(a), Y.EncodeStateAsUpdate(b));
        Assert.Equal(">from a", b.GetText("t").ToString());
    }

    [Fact]
    public void Messages_have_the_y_protocols_layout()
    {
        var doc = new Doc(300);
        doc.GetText("t").Insert(0, "x");
        var step1 = SyncProtocol.EncodeSyncStep1(doc);

        // type 0, payload length, state vector {300: 1}.
        Assert.Equal(new byte[] { 0, 4, 1, 0xAC, 0x02, 1 }, step1);
        var update = Y.EncodeStateAsUpdate(doc);
        var message = SyncProtocol.EncodeUpdate(update);
        Assert.Equal(2, message[0]);
        Assert.Equal(update, new Lib0Reader(message, 1, message.Length - 1).ReadVarBytes());
        Assert.Throws<CrdtFormatException>(() => SyncProtocol.HandleMessage([7, 0], doc));
    }
}
