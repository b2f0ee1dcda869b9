using System.Text.Json;
using System.Text.Json.Nodes;
using Cortex.Daemon.Workspace;
using Cortex.SecretScanning;

namespace Cortex.Daemon.LocalApi;

/// <summary>
/// Redacts every string of a write's payload before it enters the outbox, so a secret never leaves the workspace's
/// machine; reports how many findings of each kind were removed.
/// </summary>
internal static class SecretRedaction
{
    /// <summary>The workspace's scanner: its allowlist is <c>.cortex/secret-allowlist</c> when that file exists.</summary>
    public static SecretScanner ScannerFor(WorkspacePaths workspace)
    {
        var path = Path.Combine(workspace.StateDirectory, "secret-allowlist");
        var allowlist = File.Exists(path) ? SecretAllowlist.Parse(File.ReadAllText(path)) : SecretAllowlist.Empty;
        return new SecretScanner(new SecretScannerOptions { Allowlist = allowlist });
    }

    public static (JsonElement Payload, Dictionary<string, int> Redacted) Redact(JsonElement payload, SecretScanner scanner)
    {
        var redacted = new Dictionary<string, int>(StringComparer.Ordinal);
        var node = JsonNode.Parse(payload.GetRawText());
        node = Walk(node, scanner, redacted);
        return (JsonSerializer.SerializeToElement(node), redacted);
    }

    public static string RedactText(string text, SecretScanner scanner, Dictionary<string, int> redacted)
    {
        var result = scanner.Redact(text);
        foreach (var finding in result.Findings)
        {
            redacted[finding.Kind] = redacted.GetValueOrDefault(finding.Kind) + 1;
        }

        return result.Text;
    }

    private static JsonNode? Walk(JsonNode? node, SecretScanner scanner, Dictionary<string, int> redacted)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var name in obj.Select(p => p.Key).ToList())
                {
                    var child = obj[name];
                    if (Walk(child, scanner, redacted) is var replaced && !ReferenceEquals(replaced, child))
                    {
                        obj[name] = replaced;
                    }
                }

                return obj;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    var child = array[i];
                    if (Walk(child, scanner, redacted) is var replaced && !ReferenceEquals(replaced, child))
                    {
                        array[i] = replaced;
                    }
                }

                return array;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                var text = value.GetValue<string>();
                var clean = RedactText(text, scanner, redacted);
                return clean == text ? value : JsonValue.Create(clean);
            default:
                return node;
        }
    }
}
