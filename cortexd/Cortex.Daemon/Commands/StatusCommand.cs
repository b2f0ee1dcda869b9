using System.CommandLine;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Cortex.Daemon.LocalApi;
using Cortex.Daemon.Workspace;

namespace Cortex.Daemon.Commands;

/// <summary><c>cortex status [--json]</c>: the daemon's connection, lag, outbox and replica, from its local API.</summary>
internal static class StatusCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print the status as one JSON object." };
        var command = new Command("status", "Show the sync status of the current workspace's cortexd.") { json };
        command.SetAction((parseResult, cancellationToken) => RunAsync(
            parseResult.GetValue(json), parseResult.InvocationConfiguration.Output, parseResult.InvocationConfiguration.Error, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(bool asJson, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        try
        {
            using var client = LocalApiClient.Connect(Environment.CurrentDirectory, TimeSpan.FromSeconds(10));
            using var response = await client.GetAsync("v1/status", cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                await error.WriteLineAsync($"cortex status: {await LocalApiClient.DescribeFailureAsync(response, cancellationToken)}");
                return ExitCodes.UsageError;
            }

            var status = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
            await output.WriteLineAsync(asJson ? status.GetRawText() : Describe(status));
            return ExitCodes.Success;
        }
        catch (Exception exception) when (exception is WorkspaceException or HttpRequestException)
        {
            await error.WriteLineAsync($"cortex status: {exception.Message.ReplaceLineEndings(" ")}");
            return ExitCodes.UsageError;
        }
    }

    private static string Connection(JsonElement s) => !s.GetProperty("connected").GetBoolean()
        ? "not connected"
        : s.TryGetProperty("live", out var live) && live.ValueKind == JsonValueKind.True ? "connected, live" : "connected";

    internal static string Describe(JsonElement s)
    {
        var lines = new List<string>
        {
            $"server:      {s.GetProperty("serverUrl").GetString()} ({Connection(s)})",
            $"principal:   {Text(s, "principal")}",
            $"last sync:   {Text(s, "lastSuccessfulSync")}",
            $"lag:         {s.GetProperty("lagPositions").GetInt64()} position(s), {s.GetProperty("lagSeconds").GetDouble().ToString("0.###", CultureInfo.InvariantCulture)} s (cursor {s.GetProperty("cursor").GetInt64()}, head {s.GetProperty("head").GetInt64()})",
            $"outbox:      {s.GetProperty("outboxDepth").GetInt32()} pending" + (s.GetProperty("oldestPendingAgeSeconds").ValueKind == JsonValueKind.Number
                ? $", oldest {s.GetProperty("oldestPendingAgeSeconds").GetDouble().ToString("0.#", CultureInfo.InvariantCulture)} s"
                : ""),
            $"replica:     {s.GetProperty("replicaSizeBytes").GetInt64() / 1024} KiB; " + string.Join(", ",
                s.GetProperty("itemCounts").EnumerateObject().Where(p => p.Value.GetInt64() > 0).Select(p => $"{p.Value.GetInt64()} {p.Name}")),
        };
        if (s.TryGetProperty("bootstrap", out var bootstrap) && bootstrap.ValueKind == JsonValueKind.Object)
        {
            lines.Add($"bootstrap:   {bootstrap.GetProperty("positionsFetched").GetInt64()} of {bootstrap.GetProperty("positionsTotal").GetInt64()} positions");
        }

        if (s.TryGetProperty("secretRedactions", out var redactions) && redactions.ValueKind == JsonValueKind.Object)
        {
            var byKind = redactions.EnumerateObject().Select(p => (Kind: p.Name, Count: p.Value.GetInt64())).ToList();
            lines.Add($"secrets:     {byKind.Sum(k => k.Count)} redacted before queueing" + (byKind.Count == 0 ? "" : $" ({string.Join(", ", byKind.Select(k => $"{k.Count} {k.Kind}"))})"));
        }

        foreach (var rejection in s.GetProperty("recentRejections").EnumerateArray())
        {
            lines.Add($"rejected:    {rejection.GetProperty("kind").GetString()} {rejection.GetProperty("clientId").GetString()}: {Text(rejection, "reason")} {Text(rejection, "message")}");
        }

        if (s.GetProperty("warning").GetString() is { } warning)
        {
            lines.Add($"warning:     {warning}");
        }

        if (s.GetProperty("lastError").GetString() is { } lastError)
        {
            lines.Add($"last error:  {lastError}");
        }

        return string.Join(Environment.NewLine, lines);
    }

    private static string Text(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind != JsonValueKind.Null ? value.ToString() : "-";
}
