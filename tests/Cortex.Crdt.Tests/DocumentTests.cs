using Cortex.Crdt.Core;
using Cortex.Crdt.Encoding;
using Cortex.Crdt.Types;

namespace Cortex.Crdt.Tests;

public sealed class DocumentTests
{
    private static List<byte[]> Record(Doc doc)
    {
        var updates = new List<byte[]>();
        doc.Updated += (_, e) => updates.Add(e.Update);
        return updates;
    }

    [Fact]
    public void Out_of_order_updates_wait_as_pending_and_are_forwarded()
    {
        var source = new Doc(1);
        var updates = Record(source);
        var text = source.GetText("t");
        text.Insert(0, "abc");
        text.Insert(3, "def");
        text.Delete(0, 1);

        var target = new Doc(2);
        Y.ApplyUpdate(target, updates[1]);
        Y.ApplyUpdate(target, updates[2]);
        Assert.True(target.Store.HasPending);
        Assert.Equal(string.Empty, target.GetText("t").ToString());

        // A relay forwards what it cannot apply yet: its state equals the merge of what it received.
        var relayed = new Doc(3);
        Y.ApplyUpdate(relayed, Y.EncodeStateAsUpdate(target));
        Y.ApplyUpdate(relayed, updates[0]);
        Assert.Equal("bcdef", relayed.GetText("t").ToString());

        Y.ApplyUpdate(target, updates[0]);
        Assert.False(target.Store.HasPending);
        Assert.Equal("bcdef", target.GetText("t").ToString());
        Assert.Equal(Y.EncodeStateAsUpdate(source), Y.EncodeStateAsUpdate(target));
    }

    [Fact]
    public void Text_event_delta_carries_attributes_and_retains()
    {
        var doc = new Doc(1);
        var text = doc.GetText("t");
        text.Insert(0, "hello world");
        var deltas = new List<string>();
        text.Observe((e, _) => deltas.Add(JsJson.Stringify(e.Delta.Select(d => d.ToJson()).ToList())));
        text.Format(0, 5, new JsObject { ["bold"] = true });
        text.Insert(11, "!", new JsObject { ["italic"] = true });
        text.Delete(5, 1);
        Assert.Equal(
            [
                """[{"retain":5,"attributes":{"bold":true}}]""",
                """[{"retain":11},{"insert":"!","attributes":{"italic":true}}]""",
                """[{"retain":5},{"delete":1}]""",
            ],
            deltas);
        Assert.Equal(
            """[{"insert":"hello","attributes":{"bold":true}},{"insert":"world"},{"insert":"!","attributes":{"italic":true}}]""",
            JsJson.Stringify(text.ToDelta().Select(d => d.ToJson()).ToList()));
    }

    [Fact]
    public void Map_events_report_key_actions()
    {
        var doc = new Doc(1);
        var map = doc.GetMap("m");
        map.Set("a", 1L);
        var seen = new List<string>();
        map.Observe((e, _) => seen.AddRange(e.Keys.Select(kv => $"{kv.Key}:{kv.Value.Action}:{JsJson.Stringify(kv.Value.OldValue)}")));
        doc.Transact(_ =>
        {
            map.Set("a", 2L);
            map.Set("b", "new");
        });
        map.Delete("b");
        Assert.Equal(["a:Update:1", "b:Add:null", "b:Delete:\"new\""], seen);
    }

    [Fact]
    public void Client_ids_up_to_2_pow_53_minus_1_round_trip()
    {
        const long max = (1L << 53) - 1;
        var doc = new Doc(max);
        doc.GetArray("a").Push("x");
        var update = Y.EncodeStateAsUpdate(doc);
        Assert.Equal(max, Y.DecodeStateVector(Y.EncodeStateVectorFromUpdate(update)).Single().Key);
        var copy = new Doc(1);
        Y.ApplyUpdate(copy, update);
        Assert.Equal(update, Y.EncodeStateAsUpdate(copy));
    }

    [Fact]
    public void Garbage_collection_replaces_deleted_content_and_nested_types()
    {
        var doc = new Doc(1);
        var map = doc.GetMap("m");
        var nested = new YArray();
        map.Set("list", nested);
        nested.Push("a", "b", "c");
        map.Delete("list");
        var update = Y.EncodeStateAsUpdate(doc);
        var structs = Y.DecodeUpdate(update).Structs;
        Assert.Contains(structs, s => s is Structs.GcStruct);
        Assert.DoesNotContain(structs, s => s is Structs.Item { Content: Structs.ContentAny });

        var keep = new Doc(2, gc: false);
        Y.ApplyUpdate(keep, Y.EncodeStateAsUpdate(new Doc(3)));
        var text = keep.GetText("t");
        text.Insert(0, "abc");
        text.Delete(0, 3);
        Assert.Contains(Y.DecodeUpdate(Y.EncodeStateAsUpdate(keep)).Structs, s => s is Structs.Item { Content: Structs.ContentString, Deleted: false });
    }

    [Fact]
    public void Lib0_primitives_match_the_reference_encoding()
    {
        var w = new Lib0Writer();
        w.WriteVarUint((1L << 53) - 1);
        w.WriteVarInt(-1);
        w.WriteVarInt(0, negativeZero: true);
        w.WriteVarInt(64);
        var bytes = w.ToArray();
        Assert.Equal(Convert.FromHexString("FFFFFFFFFFFFFF0F" + "41" + "40" + "8001"), bytes);
        var r = new Lib0Reader(bytes);
        Assert.Equal((1L << 53) - 1, r.ReadVarUint());
        Assert.Equal(-1, r.ReadVarInt(out _));
        Assert.Equal(0, r.ReadVarInt(out var negativeZero));
        Assert.True(negativeZero);
        Assert.Equal(64, r.ReadVarInt(out _));
    }

    [Fact]
    public void Splitting_a_surrogate_pair_replaces_both_halves()
    {
        var a = new Doc(1);
        a.GetText("t").Insert(0, "😀");
        var b = new Doc(2);
        Y.ApplyUpdate(b, Y.EncodeStateAsUpdate(a));
        b.GetText("t").Insert(1, "x");
        Assert.Equal("\uFFFDx\uFFFD", b.GetText("t").ToString());
        Assert.Equal(3, b.GetText("t").Count);
    }

    [Fact]
    public void Deep_observers_see_nested_events_with_paths()
    {
        var doc = new Doc(1);
        var root = doc.GetMap("root");
        var inner = new YMap();
        var list = new YArray();
        root.Set("inner", inner);
        inner.Set("list", list);
        var paths = new List<string>();
        root.ObserveDeep((events, _) => paths.AddRange(events.Select(e => string.Join("/", e.Path) + ":" + e.Target.GetType().Name)));
        doc.Transact(_ =>
        {
            list.Push("x");
            inner.Set("k", 1L);
        });
        Assert.Equal(["inner:YMap", "inner/list:YArray"], paths);
    }

    [Fact]
    public void Apply_delta_round_trips_through_to_delta()
    {
        var doc = new Doc(1);
        var text = doc.GetText("t");
        text.ApplyDelta(
        [
            new DeltaOp { Insert = "Title", Attributes = new JsObject { ["header"] = 1L } },
            new DeltaOp { Insert = "\nbody " },
            new DeltaOp { Insert = new JsObject { ["image"] = "a.png" } },
        ]);
        text.ApplyDelta([new DeltaOp { Retain = 5 }, new DeltaOp { Delete = 1 }, new DeltaOp { Retain = 4, Attributes = new JsObject { ["bold"] = true } }]);
        Assert.Equal(
            """[{"insert":"Title","attributes":{"header":1}},{"insert":"body","attributes":{"bold":true}},{"insert":" "},{"insert":{"image":"a.png"}}]""",
            JsJson.Stringify(text.ToDelta().Select(d => d.ToJson()).ToList()));
    }

    [Fact]
    public void Xml_events_report_children_and_attributes()
    {
        var doc = new Doc(1);
        var fragment = doc.GetXmlFragment("xml");
        var element = new YXmlElement("P");
        fragment.Insert(0, element);
        var events = new List<string>();
        element.Observe((e, _) =>
        {
            var x = (YXmlEvent)e;
            events.Add($"{x.ChildListChanged}:{string.Join(",", x.AttributesChanged)}");
        });
        doc.Transact(_ =>
        {
            element.SetAttribute("class", "lead");
            element.Insert(0, new YXmlText());
        });
        Assert.Equal(["True:class"], events);
        Assert.Equal("<p class=\"lead\"></p>", fragment.ToString());
    }
}
