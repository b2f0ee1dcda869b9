using System.CommandLine;
using System.Text.Json;
using Cortex.Daemon.Hooks;
using Cortex.Daemon.LocalApi;
using Cortex.Daemon.Workspace;
using Cortex.SyncProtocol;

namespace Cortex.Daemon.Commands;

/// <summary>
/// <c>cortex hook stop</c>: an agent's stop hook. Reads the hook's JSON on stdin (<c>session_id</c>,
/// <c>transcript_path</c>, <c>cwd</c>; any may be missing), turns the transcript into an extractive draft, redacts it
/// and queues it for review — through the daemon, or into the outbox on disk when it is down. It must never fail or
/// hold up the agent, so it always exits 0 within about two seconds and reports problems on stderr only.
/// </summary>
internal static class HookCommand
{
    /// <summary>The subcortex (slug) that receives session drafts; <c>agent-sessions</c> unless set.</summary>
    public const string SubcortexVariable = "CORTEX_HOOK_SUBCORTEX";

    /// <summary>Milliseconds the hook may take before it gives up (1800 unless set; tests on loaded machines raise it).</summary>
    public const string BudgetVariable = "CORTEX_HOOK_BUDGET_MS";

    public static Command Create()
    {
        var stop = new Command("stop", "Claude Code stop hook: queue the finished session as a draft for review (always exits 0).");
        stop.SetAction((parseResult, cancellationToken) => StopAsync(parseResult.InvocationConfiguration, cancellationToken));
        return new Command("hook", "Agent hooks.") { stop };
    }

    private static async Task<int> StopAsync(InvocationConfiguration console, CancellationToken cancellationToken)
    {
        var limit = TimeSpan.FromMilliseconds(
            int.TryParse(Environment.GetEnvironmentVariable(BudgetVariable), System.Globalization.CultureInfo.InvariantCulture, out var ms) && ms > 0 ? ms : 1800);
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(limit);
        try
        {
            // SQLite and file reads do not all observe the token, so the budget is enforced from outside too: past it the
            // process exits, and an unfinished write rolls back (SQLite's journal) rather than keep the agent waiting.
            var work = Task.Run(() => RunAsync(budget.Token), budget.Token);
            if (await Task.WhenAny(work, Task.Delay(limit, cancellationToken)) != work)
            {
                await console.Error.WriteLineAsync($"cortex hook stop: nothing queued: gave up after {limit.TotalSeconds:0.0} s so as not to hold up the agent");
                return ExitCodes.Success;
            }

            await console.Error.WriteLineAsync($"cortex hook stop: {await work}");
        }
#pragma warning disable CA1031 // The hook's contract: whatever goes wrong, the agent is not failed; the cause goes to stderr.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            await console.Error.WriteLineAsync($"cortex hook stop: nothing queued: {exception.Message.ReplaceLineEndings(" ")}");
        }

        return ExitCodes.Success;
    }

    private static async Task<string> RunAsync(CancellationToken cancellationToken)
    {
        var input = await ReadInputAsync(cancellationToken);
        var cwd = Text(input, "cwd") ?? Environment.CurrentDirectory;
        var workspace = WorkspacePaths.Find(cwd)
            ?? throw new WorkspaceException($"no Cortex workspace at or above {cwd}");
        var sessionId = Text(input, "session_id");
        var summary = TranscriptSummary.Read(Text(input, "transcript_path"), cwd, cancellationToken);
        if (summary.IsEmpty)
        {
            return "the transcript holds nothing to record";
        }

        var subcortex = Environment.GetEnvironmentVariable(SubcortexVariable) is { Length: > 0 } configured ? configured : "agent-sessions";
        var payload = JsonSerializer.SerializeToElement(new
        {
            kind = "thread",
            subcortex,
            title = summary.Title(),
            threadKind = "discussion",
            body = summary.ToMarkdown(sessionId),
            evidence = Array.Empty<object>(),
        }, LocalApiJson.Options);
        var queued = await new CliWriter(workspace, embedder: null)
            .EnqueueAsync(new WriteRequest(MutationKinds.CreateDraft, "subcortex", subcortex, payload), cancellationToken);
        var redacted = queued.Redacted?.Values.Sum() ?? 0;
        return $"queued draft {queued.ClientId} for review in '{subcortex}'" + (redacted > 0 ? $" ({redacted} secret(s) redacted)" : "");
    }

    private static async Task<JsonElement> ReadInputAsync(CancellationToken cancellationToken)
    {
        var text = Console.IsInputRedirected ? await Console.In.ReadToEndAsync(cancellationToken) : "";
        try
        {
            using var document = JsonDocument.Parse(string.IsNullOrWhiteSpace(text) ? "{}" : text);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return JsonSerializer.SerializeToElement(new { });
        }
    }

    private static string? Text(JsonElement json, string property) =>
        json.ValueKind == JsonValueKind.Object && json.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
