using Cortex.Crdt.Structs;

namespace Cortex.Crdt.Tests.Support;

/// <summary>Readable struct listings, so a byte mismatch names the first differing struct.</summary>
public static class UpdateDump
{
    public static List<string> Lines(byte[] update)
    {
        var decoded = Y.DecodeUpdate(update);
        var lines = decoded.Structs.Select(Describe).ToList();
        foreach (var (client, ranges) in decoded.DeleteSet.Clients.OrderByDescending(kv => kv.Key))
        {
            lines.Add($"ds {client}: " + string.Join(" ", ranges.Select(r => $"[{r.Clock},+{r.Length}]")));
        }

        return lines;
    }

    public static string Describe(AbstractStruct s) => s switch
    {
        Item item => $"item {s.Id} len {s.Length} origin {item.Origin} right {item.RightOrigin} parent {item.ParentName ?? item.ParentId?.ToString()} sub {item.ParentSub} {item.Content.GetType().Name} {Preview(item.Content)}",
        _ => $"{s.GetType().Name} {s.Id} len {s.Length}",
    };

    private static string Preview(Content c) => c switch
    {
        ContentString s => s.Text.Length > 20 ? s.Text[..20] : s.Text,
        ContentFormat f => $"{f.Key}={Cortex.Crdt.Encoding.JsJson.Stringify(f.Value)}",
        _ => string.Empty,
    };

    public static string FirstDifference(byte[] expected, byte[] actual)
    {
        var a = Lines(expected);
        var b = Lines(actual);
        for (var i = 0; i < Math.Max(a.Count, b.Count); i++)
        {
            var x = i < a.Count ? a[i] : "<none>";
            var y = i < b.Count ? b[i] : "<none>";
            if (x != y)
            {
                var context = string.Join("\n", a.Skip(Math.Max(0, i - 3)).Take(3));
                return $"struct #{i}:\n{context}\nexpected {x}\nactual   {y}";
            }
        }

        return "structs equal (difference in encoding)";
    }
}
