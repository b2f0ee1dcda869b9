using System.Text.Json.Nodes;
using Cortex.Crdt.Core;
using Cortex.Crdt.Encoding;
using Cortex.Crdt.Protocol;

namespace Cortex.Crdt.Tests.Support;

/// <summary>A document under test, either C# or real yjs, with the local updates it emitted since the last drain.</summary>
public interface IPeer
{
    string Name { get; }

    void Apply(byte[] update);

    void Op(JsonObject op);

    /// <summary>Updates of local transactions (including formatting cleanups caused by remote changes).</summary>
    List<byte[]> Drain();

    /// <summary>Observed events on the roots since the last drain (see <see cref="Drain"/>; drained together).</summary>
    List<string> LastEvents { get; }

    byte[] StateAsUpdate(byte[]? stateVector = null);

    byte[] StateVector();

    string Json();

    bool HasPending();

    byte[] SyncStep1();

    /// <summary>Handles a y-protocols sync message; returns the reply, if any.</summary>
    byte[]? HandleSync(byte[] message);
}

public sealed class CsPeer : IPeer
{
    private const string Remote = "remote";
    private readonly List<byte[]> _updates = [];
    private readonly List<string> _events = [];

    public CsPeer(string name, long clientId)
    {
        Name = name;
        Doc = new Doc(clientId);
        Doc.Updated += (_, e) =>
        {
            if (!Equals(e.Origin, Remote))
            {
                _updates.Add(e.Update);
            }
        };
        Doc.GetText("text").Observe((e, _) => _events.Add("text " + JsJson.Stringify(e.Delta.Select(d => d.ToJson()).ToList())));
        Doc.GetArray("array").Observe((e, _) => _events.Add("array " + JsJson.Stringify(e.Delta.Select(d => d.ToJson()).ToList())));
        Doc.GetMap("map").Observe((e, _) => _events.Add("map " + JsJson.Stringify(
            e.Keys.Select(kv => new List<object?> { kv.Key, kv.Value.Action.ToString().ToLowerInvariant() }).ToList())));
    }

    public List<string> LastEvents { get; private set; } = [];

    public string Name { get; }

    public Doc Doc { get; }

    public void Apply(byte[] update) => Y.ApplyUpdate(Doc, update, Remote);

    public void Op(JsonObject op) => RandomOps.Apply(Doc, op);

    public List<byte[]> Drain()
    {
        var list = _updates.ToList();
        _updates.Clear();
        LastEvents = [.. _events];
        _events.Clear();
        return list;
    }

    public byte[] StateAsUpdate(byte[]? stateVector = null) => Y.EncodeStateAsUpdate(Doc, stateVector);

    public byte[] StateVector() => Y.EncodeStateVector(Doc);

    public string Json()
    {
        Doc.GetText("text");
        Doc.GetMap("map");
        Doc.GetArray("array");
        Doc.GetXmlFragment("xml");
        return JsonText.Canonical(JsJson.Stringify(Doc.ToJson()));
    }

    public bool HasPending() => Doc.Store.HasPending;

    public byte[] SyncStep1() => SyncProtocol.EncodeSyncStep1(Doc);

    public byte[]? HandleSync(byte[] message) => SyncProtocol.HandleMessage(message, Doc, Remote);
}

public sealed class JsPeer : IPeer
{
    private readonly YjsHarness _yjs;

    public JsPeer(YjsHarness yjs, string name, long clientId)
    {
        _yjs = yjs;
        Name = name;
        yjs.Call("new", new JsonObject { ["doc"] = name, ["clientId"] = clientId });
    }

    public string Name { get; }

    public void Apply(byte[] update) => _yjs.Call("apply", new JsonObject { ["doc"] = Name, ["update"] = Convert.ToBase64String(update) });

    public void Op(JsonObject op) => _yjs.Call("op", new JsonObject { ["doc"] = Name, ["op"] = op.DeepClone() });

    public List<string> LastEvents { get; private set; } = [];

    public List<byte[]> Drain()
    {
        var reply = _yjs.Call("drain", new JsonObject { ["doc"] = Name });
        LastEvents = [.. reply["events"]!.AsArray().Select(n => n!.GetValue<string>())];
        return [.. reply["updates"]!.AsArray().Select(n => Convert.FromBase64String(n!.GetValue<string>()))];
    }

    private JsonObject State(byte[]? sv = null)
    {
        var args = new JsonObject { ["doc"] = Name };
        if (sv != null)
        {
            args["sv"] = Convert.ToBase64String(sv);
        }

        return _yjs.Call("state", args);
    }

    public byte[] StateAsUpdate(byte[]? stateVector = null) => Convert.FromBase64String(State(stateVector)["update"]!.GetValue<string>());

    public byte[] StateVector() => Convert.FromBase64String(State()["sv"]!.GetValue<string>());

    public string Json() => JsonText.Canonical(State()["json"]!.GetValue<string>());

    public bool HasPending() => State()["pending"]!.GetValue<bool>();

    public byte[] SyncStep1() =>
        Convert.FromBase64String(_yjs.Call("syncStep1", new JsonObject { ["doc"] = Name })["message"]!.GetValue<string>());

    public byte[]? HandleSync(byte[] message)
    {
        var r = _yjs.Call("readSync", new JsonObject { ["doc"] = Name, ["message"] = Convert.ToBase64String(message) });
        return r["reply"] is JsonNode n ? Convert.FromBase64String(n.GetValue<string>()) : null;
    }
}

/// <summary>
/// A peer backed by a yjs doc and a C# doc with the same client id fed the same inputs: every output (updates, sync
/// replies, final state) must be byte-identical, which pins down yjs's path-dependent struct merging and GC.
/// </summary>
public sealed class TwinPeer(IPeer primary, IPeer shadow, int seed) : IPeer
{
    public string Name => primary.Name;

    public void Apply(byte[] update)
    {
        primary.Apply(update);
        shadow.Apply(update);
    }

    public void Op(JsonObject op)
    {
        primary.Op(op);
        shadow.Op(op);
    }

    public List<byte[]> Drain()
    {
        var a = primary.Drain();
        var b = shadow.Drain();
        Assert.True(a.Count == b.Count, $"seed {seed}: {Name} emitted {a.Count} updates, its twin {b.Count}");
        for (var i = 0; i < a.Count; i++)
        {
            Same(a[i], b[i], "update");
        }

        Assert.True(
            primary.LastEvents.SequenceEqual(shadow.LastEvents),
            $"seed {seed}: {Name} observed events differ from its twin\n{string.Join("\n", primary.LastEvents)}\n--\n{string.Join("\n", shadow.LastEvents)}");
        LastEvents = primary.LastEvents;
        return a;
    }

    public List<string> LastEvents { get; private set; } = [];

    private void Same(byte[]? a, byte[]? b, string what)
    {
        if (a == null || b == null)
        {
            Assert.True(a == null && b == null, $"seed {seed}: {Name} {what}: one side is null");
            return;
        }

        Assert.True(a.AsSpan().SequenceEqual(b), $"seed {seed}: {Name} {what} differs from its twin ({primary.GetType().Name} vs {shadow.GetType().Name})\n{UpdateDump.FirstDifference(a, b)}");
    }

    public byte[] StateAsUpdate(byte[]? stateVector = null)
    {
        var a = primary.StateAsUpdate(stateVector);
        Same(a, shadow.StateAsUpdate(stateVector), "encodeStateAsUpdate");
        return a;
    }

    public byte[] StateVector()
    {
        var a = primary.StateVector();
        Assert.True(a.AsSpan().SequenceEqual(shadow.StateVector()), $"seed {seed}: {Name} state vector differs from its twin");
        return a;
    }

    public string Json()
    {
        var a = primary.Json();
        Assert.Equal(a, shadow.Json());
        return a;
    }

    public bool HasPending()
    {
        var a = primary.HasPending();
        Assert.Equal(a, shadow.HasPending());
        return a;
    }

    public byte[] SyncStep1()
    {
        var a = primary.SyncStep1();
        Assert.True(a.AsSpan().SequenceEqual(shadow.SyncStep1()), $"seed {seed}: {Name} sync step 1 differs from its twin");
        return a;
    }

    public byte[]? HandleSync(byte[] message)
    {
        var a = primary.HandleSync(message);
        var b = shadow.HandleSync(message);
        Assert.True((a == null && b == null) || (a != null && b != null && a.AsSpan().SequenceEqual(b)), $"seed {seed}: {Name} sync reply differs from its twin");
        return a;
    }
}

public static class JsonText
{
    /// <summary>
    /// Canonical JSON with object keys sorted: root and map key order follows the order in which a peer first saw each key,
    /// which legitimately differs between peers (in yjs too).
    /// </summary>
    public static string Canonical(string json) => Canonical(JsonNode.Parse(json));

    private static string Canonical(JsonNode? node) => node switch
    {
        JsonObject o => "{" + string.Join(",", o.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => System.Text.Json.JsonSerializer.Serialize(kv.Key, Options) + ":" + Canonical(kv.Value))) + "}",
        JsonArray a => "[" + string.Join(",", a.Select(Canonical)) + "]",
        null => "null",
        _ => node.ToJsonString(Options),
    };

    private static readonly System.Text.Json.JsonSerializerOptions Options = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
