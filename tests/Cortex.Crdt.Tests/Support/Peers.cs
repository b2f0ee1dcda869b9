using System.Text.Json.Nodes;
using Cortex.Crdt.Core;
using Cortex.Crdt.Encoding;

namespace Cortex.Crdt.Tests.Support;

/// <summary>A document under test, either C# or real yjs, with the updates it emitted since the last drain.</summary>
public interface IPeer
{
    string Name { get; }

    void Apply(byte[] update);

    void Op(JsonObject op);

    List<byte[]> Drain();

    byte[] StateAsUpdate(byte[]? stateVector = null);

    byte[] StateVector();

    string Json();

    bool HasPending();
}

public sealed class CsPeer : IPeer
{
    private readonly List<byte[]> _updates = [];

    public CsPeer(string name, long clientId)
    {
        Name = name;
        Doc = new Doc(clientId);
        Doc.Updated += (_, e) => _updates.Add(e.Update);
    }

    public string Name { get; }

    public Doc Doc { get; }

    public void Apply(byte[] update) => Y.ApplyUpdate(Doc, update);

    public void Op(JsonObject op) => RandomOps.Apply(Doc, op);

    public List<byte[]> Drain()
    {
        var list = _updates.ToList();
        _updates.Clear();
        return list;
    }

    public byte[] StateAsUpdate(byte[]? stateVector = null) => Y.EncodeStateAsUpdate(Doc, stateVector);

    public byte[] StateVector() => Y.EncodeStateVector(Doc);

    public string Json()
    {
        Doc.GetText("text");
        Doc.GetMap("map");
        Doc.GetArray("array");
        return JsonText.SortRoots(JsJson.Stringify(Doc.ToJson()));
    }

    public bool HasPending() => Doc.Store.HasPending;
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

    public List<byte[]> Drain() =>
        [.. _yjs.Call("drain", new JsonObject { ["doc"] = Name })["updates"]!.AsArray().Select(n => Convert.FromBase64String(n!.GetValue<string>()))];

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

    public string Json() => JsonText.SortRoots(State()["json"]!.GetValue<string>());

    public bool HasPending() => State()["pending"]!.GetValue<bool>();
}

public static class JsonText
{
    /// <summary>
    /// Canonical JSON with object keys sorted: root and map key order follows the order in which a peer first saw each key,
    /// which legitimately differs between peers (in yjs too).
    /// </summary>
    public static string SortRoots(string json) => Canonical(System.Text.Json.Nodes.JsonNode.Parse(json));

    private static string Canonical(System.Text.Json.Nodes.JsonNode? node) => node switch
    {
        System.Text.Json.Nodes.JsonObject o => "{" + string.Join(",", o.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => System.Text.Json.JsonSerializer.Serialize(kv.Key, Options) + ":" + Canonical(kv.Value))) + "}",
        System.Text.Json.Nodes.JsonArray a => "[" + string.Join(",", a.Select(Canonical)) + "]",
        null => "null",
        _ => node.ToJsonString(Options),
    };

    private static readonly System.Text.Json.JsonSerializerOptions Options = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
