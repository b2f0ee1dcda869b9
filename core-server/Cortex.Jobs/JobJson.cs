using System.Text.Json;

namespace Cortex.Jobs;

/// <summary>How payloads are written and read: System.Text.Json with web defaults (camelCase).</summary>
public static class JobJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web);
}
