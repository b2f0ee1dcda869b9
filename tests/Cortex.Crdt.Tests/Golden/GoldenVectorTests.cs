using System.Numerics;
using System.Text.Json;
using Cortex.Crdt.Core;
using Cortex.Crdt.Encoding;
using Cortex.Crdt.Tests.Support;
using Cortex.Crdt.Types;

namespace Cortex.Crdt.Tests.Golden;

/// <summary>Updates produced by yjs 13.6.33 (tests/yjs-interop/make-golden.mjs), checked in as vectors.json.</summary>
public sealed class GoldenVectorTests
{
    public sealed record Vector(string Name, string Update, string Reencoded, string StateVector, string DocStateVector, Dictionary<string, string> Roots, string Json, string? Delta);

    private static readonly Lazy<List<Vector>> All = new(() =>
        JsonSerializer.Deserialize<List<Vector>>(
            File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Golden", "vectors.json")),
            new JsonSerializerOptions { PropertyNameCaseInsensitive = true })!);

    public static TheoryData<string> Names() => [.. All.Value.Select(v => v.Name)];

    private static Vector Get(string name) => All.Value.Single(v => v.Name == name);

    [Theory]
    [MemberData(nameof(Names))]
    public void Applying_and_reencoding_matches_yjs(string name)
    {
        var v = Get(name);
        var doc = new Doc(100);
        Y.ApplyUpdate(doc, Convert.FromBase64String(v.Update));
        Assert.Equal(v.Reencoded, Convert.ToBase64String(Y.EncodeStateAsUpdate(doc)));
        Assert.Equal(v.DocStateVector, Convert.ToBase64String(Y.EncodeStateVector(doc)));
        var json = new JsObject();
        foreach (var (root, kind) in v.Roots)
        {
            AbstractType type = kind switch
            {
                "text" => doc.GetText(root),
                "map" => doc.GetMap(root),
                "array" => doc.GetArray(root),
                _ => doc.GetXmlFragment(root),
            };
            json[root] = type.ToJson();
        }

        Assert.Equal(v.Json, JsJson.Stringify(ShowBigInts(json)));
        if (v.Delta != null)
        {
            var delta = doc.GetText("text").ToDelta().Select(op => op.ToJson()).ToList();
            Assert.Equal(JsonText.Canonical(v.Delta), JsonText.Canonical(JsJson.Stringify(delta)));
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Document_free_operations_match_yjs(string name)
    {
        var v = Get(name);
        var update = Convert.FromBase64String(v.Update);
        Assert.Equal(v.StateVector, Convert.ToBase64String(Y.EncodeStateVectorFromUpdate(update)));

        // Merging an update with itself or with the empty update changes nothing; diff against nothing keeps it all.
        var empty = Y.MergeUpdates([]);
        Assert.Equal(Y.MergeUpdates([update]), update);
        Assert.Equal(Y.MergeUpdates([update, empty]), Y.MergeUpdates([update, update]));
        Assert.Equal(Y.DiffUpdate(update, [0]), Y.DiffUpdate(Y.MergeUpdates([update, empty]), [0]));
    }

    private static object? ShowBigInts(object? value) => value switch
    {
        BigInteger b => b.ToString(System.Globalization.CultureInfo.InvariantCulture) + "n",
        JsObject o => new JsObject(o.Select(kv => new KeyValuePair<string, object?>(kv.Key, ShowBigInts(kv.Value)))),
        List<object?> l => l.ConvertAll(ShowBigInts),
        _ => value,
    };
}
