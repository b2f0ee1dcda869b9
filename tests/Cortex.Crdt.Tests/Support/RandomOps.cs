using System.Text.Json.Nodes;
using Cortex.Crdt.Core;
using Cortex.Crdt.Encoding;
using Cortex.Crdt.Types;

namespace Cortex.Crdt.Tests.Support;

/// <summary>
/// Random operations described as JSON so that C# and yjs peers interpret the same spec against their own state
/// (mirrors applyOp in tests/yjs-interop/harness.mjs).
/// </summary>
public static class RandomOps
{
    private static readonly string[] Keys = ["a", "b", "c", "key", ""];
    private static readonly string[] Words = ["x", "ab", "héllo", "😀", "a😀b", "\n", "tschüß ", "日本", "123"];

    public static JsonObject Generate(Random rnd, int targetMask = 0b11111)
    {
        int t;
        do
        {
            t = rnd.Next(5);
        }
        while ((targetMask & (1 << t)) == 0);

        var op = new JsonObject
        {
            ["t"] = t,
            ["c"] = rnd.NextDouble(),
            ["k"] = rnd.Next(12),
            ["a"] = rnd.NextDouble(),
            ["b"] = rnd.NextDouble(),
            ["s"] = Words[rnd.Next(Words.Length)] + (rnd.Next(3) == 0 ? Words[rnd.Next(Words.Length)] : string.Empty),
            ["attrs"] = Attributes(rnd),
            ["keys"] = new JsonArray([.. Keys.Select(k => (JsonNode)k)]),
            ["v"] = Value(rnd, 0),
        };
        var vs = new JsonArray();
        var n = 1 + rnd.Next(3);
        for (var i = 0; i < n; i++)
        {
            vs.Add(Value(rnd, 0));
        }

        op["vs"] = vs;
        return op;
    }

    private static JsonObject Attributes(Random rnd)
    {
        var attrs = new JsonObject();
        if (rnd.Next(2) == 0)
        {
            attrs["bold"] = rnd.Next(3) == 0 ? null : true;
        }

        if (rnd.Next(3) == 0)
        {
            attrs["italic"] = rnd.Next(2) == 0 ? null : true;
        }

        if (rnd.Next(4) == 0)
        {
            attrs["color"] = rnd.Next(2) == 0 ? "#f00" : "#0f0";
        }

        return attrs;
    }

    private static JsonNode? Value(Random rnd, int depth)
    {
        switch (rnd.Next(depth > 1 ? 8 : 11))
        {
            case 0: return rnd.Next(-1000, 1000);
            case 1: return rnd.Next(2) == 0 ? 3000000000L : -(1L << 40) - 7;
            case 2: return rnd.Next(2) == 0 ? 1.5 : 0.1;
            case 3: return "s" + rnd.Next(100);
            case 4: return rnd.Next(2) == 0;
            case 5: return null;
            case 6: return Words[rnd.Next(Words.Length)];
            case 7: return new JsonObject { ["$bin"] = Convert.ToBase64String([(byte)rnd.Next(256), 1, 2]) };
            case 8: return new JsonObject { ["x"] = Value(rnd, depth + 1), ["y"] = Value(rnd, depth + 1) };
            case 9: return new JsonArray(Value(rnd, depth + 1), Value(rnd, depth + 1));
            default: return new JsonObject { ["n"] = Value(rnd, depth + 1), ["2"] = 1 };
        }
    }

    public static object? ToValue(JsonNode? spec)
    {
        if (spec is JsonObject o && o.TryGetPropertyValue("$bin", out var bin))
        {
            return Convert.FromBase64String(bin!.GetValue<string>());
        }

        if (spec is JsonObject obj)
        {
            var result = new JsObject();
            foreach (var (k, v) in obj)
            {
                result[k] = ToValue(v);
            }

            return result;
        }

        if (spec is JsonArray arr)
        {
            return arr.Select(ToValue).ToList();
        }

        return spec == null ? null : JsJson.Parse(spec.ToJsonString());
    }

    private static AbstractType NewType(int kind) => kind switch
    {
        0 => new YText(),
        1 => new YMap(),
        _ => new YArray(),
    };

    private static int Pick(double frac, int n) => Math.Min(n - 1, (int)Math.Floor(frac * n));

    private static int SafePos(string s, int pos) =>
        pos > 0 && pos < s.Length && char.IsHighSurrogate(s[pos - 1]) ? pos - 1 : pos;

    private static void CollectNested(AbstractType type, List<AbstractType> output)
    {
        if (type is YArray array)
        {
            foreach (var c in array.ToList())
            {
                if (c is AbstractType t)
                {
                    output.Add(t);
                    CollectNested(t, output);
                }
            }
        }
        else if (type is YMap map)
        {
            foreach (var key in map.Keys.OrderBy(k => k, StringComparer.Ordinal).ToList())
            {
                if (map.Get(key) is AbstractType t)
                {
                    output.Add(t);
                    CollectNested(t, output);
                }
            }
        }
    }

    public static void Apply(Doc doc, JsonObject op) => doc.Transact(_ => ApplyInTransaction(doc, op));

    private static void XmlOp(Doc doc, JsonObject op, double a, double b, int k)
    {
        var fragment = doc.GetXmlFragment("xml");
        var len = fragment.Count;
        var pos = (int)Math.Floor(a * (len + 1));
        var children = fragment.ToList();
        var s = op["s"]!.GetValue<string>();
        var c = op["c"]!.GetValue<double>();
        switch (k % 5)
        {
            case 0:
                fragment.Insert(pos, new YXmlElement(s.Length % 2 == 0 ? "p" : "h1"));
                break;
            case 1:
                {
                    var text = new YXmlText();
                    fragment.Insert(pos, text);
                    text.Insert(0, s, (JsObject)ToValue(op["attrs"])!);
                    break;
                }

            case 2:
                if (len > 0 && pos < len)
                {
                    fragment.Delete(pos, 1);
                }

                break;
            case 3:
                {
                    var elements = children.OfType<YXmlElement>().ToList();
                    if (elements.Count > 0)
                    {
                        var keys = op["keys"]!.AsArray().Select(n => n!.GetValue<string>()).ToArray();
                        elements[Pick(b, elements.Count)].SetAttribute(keys[Pick(c, keys.Length)], s);
                    }

                    break;
                }

            default:
                {
                    var texts = children.OfType<YXmlText>().ToList();
                    if (texts.Count > 0)
                    {
                        var text = texts[Pick(b, texts.Count)];
                        text.Insert(SafePos(text.ToString(), (int)Math.Floor(c * (text.Count + 1))), s, (JsObject)ToValue(op["attrs"])!);
                    }

                    break;
                }
        }
    }

    private static void ApplyInTransaction(Doc doc, JsonObject op)
    {
        var t = op["t"]!.GetValue<int>();
        var a = op["a"]!.GetValue<double>();
        var b = op["b"]!.GetValue<double>();
        var k = op["k"]!.GetValue<int>();
        if (t == 4)
        {
            XmlOp(doc, op, a, b, k);
            return;
        }

        AbstractType target;
        if (t == 0)
        {
            target = doc.GetText("text");
        }
        else if (t == 1)
        {
            target = doc.GetMap("map");
        }
        else if (t == 2)
        {
            target = doc.GetArray("array");
        }
        else
        {
            var nested = new List<AbstractType>();
            CollectNested(doc.GetArray("array"), nested);
            CollectNested(doc.GetMap("map"), nested);
            if (nested.Count == 0)
            {
                return;
            }

            target = nested[Pick(op["c"]!.GetValue<double>(), nested.Count)];
        }

        switch (target)
        {
            case YText text:
                {
                    // Index space of the text including embeds (one unit each), to keep positions off surrogate pairs.
                    var str = string.Concat(text.ToDelta().Select(d => d.Insert as string ?? " "));
                    var len = str.Length;
                    var pos = SafePos(str, (int)Math.Floor(a * (len + 1)));
                    var attrs = (JsObject)ToValue(op["attrs"])!;
                    switch (k % 5)
                    {
                        case 0:
                            text.Insert(pos, op["s"]!.GetValue<string>());
                            break;
                        case 4:
                            text.InsertEmbed(pos, new JsObject { ["embed"] = ToValue(op["v"]) }, k % 2 == 0 ? attrs : null);
                            break;
                        case 1:
                            {
                                if (len == 0)
                                {
                                    return;
                                }

                                var end = SafePos(str, Math.Min(len, pos + 1 + (int)Math.Floor(b * 4)));
                                if (end > pos)
                                {
                                    text.Delete(pos, end - pos);
                                }

                                break;
                            }

                        case 2:
                            {
                                if (len == 0)
                                {
                                    return;
                                }

                                var end = SafePos(str, Math.Min(len, pos + 1 + (int)Math.Floor(b * 6)));
                                if (end > pos)
                                {
                                    text.Format(pos, end - pos, attrs);
                                }

                                break;
                            }

                        case 3:
                            text.Insert(pos, op["s"]!.GetValue<string>(), attrs);
                            break;
                    }

                    break;
                }

            case YMap map:
                {
                    var keys = op["keys"]!.AsArray().Select(n => n!.GetValue<string>()).ToArray();
                    var key = keys[Pick(a, keys.Length)];
                    switch (k % 3)
                    {
                        case 0:
                            map.Set(key, ToValue(op["v"]));
                            break;
                        case 1:
                            map.Delete(key);
                            break;
                        default:
                            map.Set(key, NewType(Pick(b, 3)));
                            break;
                    }

                    break;
                }

            case YArray array:
                {
                    var len = array.Count;
                    var pos = (int)Math.Floor(a * (len + 1));
                    switch (k % 3)
                    {
                        case 0:
                            array.Insert(pos, [.. op["vs"]!.AsArray().Select(ToValue)]);
                            break;
                        case 1:
                            if (len == 0 || pos >= len)
                            {
                                return;
                            }

                            array.Delete(pos, Math.Min(len - pos, 1 + (int)Math.Floor(b * 3)));
                            break;
                        default:
                            array.Insert(pos, NewType(Pick(b, 3)));
                            break;
                    }

                    break;
                }
        }
    }
}
