using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cortex.Daemon.LocalApi;

/// <summary>The JSON shape of the local API and the MCP results: camelCase, nulls left out.</summary>
internal static class LocalApiJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
