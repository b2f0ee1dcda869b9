using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Cortex.Daemon.Tests;

/// <summary>
/// Checked-in golden files under <c>Golden/</c>. Ids the test did not seed (client ids) and times it did not choose
/// (seeded times are in 2025) are replaced by placeholders, numbered by first appearance. A missing or different file
/// fails; run with <c>CORTEX_UPDATE_GOLDEN=1</c> to write them, then review the diff.
/// </summary>
internal static partial class GoldenFiles
{
    public static void Verify(string name, IEnumerable<(JsonObject Request, JsonObject Response)> exchange, [CallerFilePath] string callerPath = "")
    {
        var array = new JsonArray();
        foreach (var (request, response) in exchange)
        {
            array.Add(new JsonObject { ["request"] = request.DeepClone(), ["response"] = response.DeepClone() });
        }

        var actual = Normalize(array.ToJsonString(Relaxed));
        var path = Path.Combine(Path.GetDirectoryName(callerPath)!, "Golden", name + ".json");
        if (Environment.GetEnvironmentVariable("CORTEX_UPDATE_GOLDEN") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, actual);
            return;
        }

        Assert.True(File.Exists(path), $"no golden file {path}; run the test with CORTEX_UPDATE_GOLDEN=1 and review it");
        Assert.Equal(File.ReadAllText(path).ReplaceLineEndings("\n"), actual);
    }

    private static readonly JsonSerializerOptions Relaxed = new()
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Normalize(string json)
    {
        // The server's JSON inside text content escapes '+' (as in "+00:00"); undo it so times are recognised.
        json = json.Replace(@"\\u002B", "+", StringComparison.Ordinal).Replace(@"\u002B", "+", StringComparison.Ordinal);
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        var times = new Dictionary<string, string>(StringComparer.Ordinal);
        json = Ulid().Replace(json, m => m.Value.StartsWith("01JA", StringComparison.Ordinal)
            ? m.Value
            : ids.TryGetValue(m.Value, out var known) ? known : ids[m.Value] = $"<id-{ids.Count + 1}>");
        json = Time().Replace(json, m => m.Value.StartsWith("2025-", StringComparison.Ordinal)
            ? m.Value
            : times.TryGetValue(m.Value, out var known) ? known : times[m.Value] = $"<time-{times.Count + 1}>");
        var pretty = JsonSerializer.Serialize(JsonNode.Parse(json), Relaxed);
        return pretty.ReplaceLineEndings("\n") + "\n";
    }

    [GeneratedRegex(@"\b[0-9A-HJKMNP-TV-Z]{26}\b")]
    private static partial Regex Ulid();

    [GeneratedRegex(@"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})")]
    private static partial Regex Time();
}
