using System.Text.Json;
using Cortex.Daemon.Commands;
using Cortex.Daemon.Tests.Seeding;

namespace Cortex.Daemon.Tests;

/// <summary><c>cortex search</c> on the seeded replica with no daemon running, and the scanner counts in <c>cortex status</c>.</summary>
public sealed class SearchCommandTests : IDisposable
{
    private readonly SeededWorkspace _workspace = new();

    [Fact]
    public async Task Search_prints_citable_results_with_filters_as_text_or_json()
    {
        var here = new Dictionary<string, string> { [CortexProcess.WorkingDirectory] = _workspace.Root };
        var json = await CortexProcess.RunAsync(null, here, "search", "SQLITE_BUSY bootstrap", "--subcortex", "sync", "--kind", "thread", "--json");
        Assert.True(json.ExitCode == 0, json.Error);
        using var document = JsonDocument.Parse(json.Output);
        var hit = Assert.Single(document.RootElement.GetProperty("results").EnumerateArray());
        Assert.Equal((SeededWorkspace.BusyThread, "thread", "reviewed", "sync", false),
            (hit.GetProperty("id").GetString(), hit.GetProperty("kind").GetString(), hit.GetProperty("trust").GetString(),
             hit.GetProperty("subcortex").GetString(), hit.GetProperty("pending").GetBoolean()));

        var text = await CortexProcess.RunAsync(null, here, "search", "pg_wal disk full", "--trust", "canon", "--keyword");
        Assert.True(text.ExitCode == 0, text.Error);
        Assert.StartsWith("1. [canon] Runbook: database disk full", text.Output, StringComparison.Ordinal);
        Assert.Contains($"artifact {SeededWorkspace.RunbookV2} in ops, updated 2025-03-02", text.Output, StringComparison.Ordinal);

        var bad = await CortexProcess.RunAsync(null, here, "search", "disk", "--trust", "gospel");
        Assert.Equal((2, "cortex search: 'gospel' is not a trust level; use one of: canon, accepted, reviewed, comment, observation, draft\n"), (bad.ExitCode, bad.Error));
    }

    [Fact]
    public void Status_shows_how_many_secrets_of_each_kind_were_redacted()
    {
        var status = JsonSerializer.SerializeToElement(new
        {
            serverUrl = "http://127.0.0.1:8080/", connected = true, principal = "p", lastSuccessfulSync = (string?)null, lagPositions = 0, lagSeconds = 0.0,
            cursor = 1, head = 1, outboxDepth = 0, oldestPendingAgeSeconds = (double?)null, replicaSizeBytes = 4096, itemCounts = new { thread = 1 },
            secretRedactions = new Dictionary<string, long> { ["aws-access-key"] = 2, ["github-token"] = 1 },
            recentRejections = Array.Empty<object>(), warning = (string?)null, lastError = (string?)null,
        });

        Assert.Contains("secrets:     3 redacted before queueing (2 aws-access-key, 1 github-token)", StatusCommand.Describe(status), StringComparison.Ordinal);
    }

    public void Dispose() => _workspace.Dispose();
}
