using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Cortex.Daemon.LocalApi;
using Cortex.Daemon.Mcp;
using Cortex.Daemon.Search;
using Cortex.Daemon.Workspace;

namespace Cortex.Daemon.Commands;

/// <summary><c>cortex search "…"</c>: the MCP tool's hybrid search over this workspace's replica, from the command line
/// (works with the daemon and the server down).</summary>
internal static class SearchCommand
{
    public static Command Create()
    {
        var query = new Argument<string>("QUERY") { Description = "What to look for." };
        var subcortex = new Option<string[]>("--subcortex") { Description = "Only this subcortex (slug); repeatable.", AllowMultipleArgumentsPerToken = false };
        var kind = new Option<string[]>("--kind") { Description = "Only this kind: thread, comment, observation, artifact, draft, task; repeatable." };
        var trust = new Option<string[]>("--trust") { Description = "Only this trust level: canon, accepted, reviewed, comment, observation, draft; repeatable." };
        var since = new Option<DateTimeOffset?>("--since") { Description = "Only items updated at or after this time (RFC 3339)." };
        var until = new Option<DateTimeOffset?>("--until") { Description = "Only items updated at or before this time (RFC 3339)." };
        var limit = new Option<int>("--limit") { Description = "How many results (1 to 100).", DefaultValueFactory = _ => 10 };
        var keyword = new Option<bool>("--keyword") { Description = "Keywords only: skip the embedding model." };
        var json = new Option<bool>("--json") { Description = "Print the results as one JSON object." };
        var command = new Command("search", "Search this workspace's replica: keywords and meaning, canon first.")
        {
            query, subcortex, kind, trust, since, until, limit, keyword, json,
        };
        command.SetAction((parseResult, cancellationToken) =>
        {
            var request = new WorkspaceQuery(
                parseResult.GetValue(query)!, NullIfEmpty(parseResult.GetValue(subcortex)), NullIfEmpty(parseResult.GetValue(kind)),
                NullIfEmpty(parseResult.GetValue(trust)), parseResult.GetValue(since), parseResult.GetValue(until), parseResult.GetValue(limit),
                parseResult.GetValue(keyword));
            return RunAsync(request, parseResult.GetValue(json), parseResult.InvocationConfiguration, cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(WorkspaceQuery request, bool asJson, InvocationConfiguration console, CancellationToken cancellationToken)
    {
        try
        {
            var workspace = WorkspacePaths.Find(Environment.CurrentDirectory)
                ?? throw new WorkspaceException($"no Cortex workspace at or above {Environment.CurrentDirectory}; run 'cortex start' there first");
            if (!File.Exists(workspace.ReplicaFile))
            {
                throw new WorkspaceException($"no replica in {workspace.StateDirectory} yet; run 'cortex start' and let it sync");
            }

            var hits = new WorkspaceSearch(workspace.ReplicaFile, LazyEmbedder.Shared).Search(request, cancellationToken);
            await console.Output.WriteLineAsync(asJson
                ? JsonSerializer.Serialize(new SearchResult(request.Text, hits.Count, hits), LocalApiJson.Options)
                : Describe(hits));
            return ExitCodes.Success;
        }
        catch (Exception exception) when (exception is WorkspaceException or ArgumentException)
        {
            await console.Error.WriteLineAsync($"cortex search: {exception.Message.ReplaceLineEndings(" ")}");
            return ExitCodes.UsageError;
        }
    }

    private static string Describe(IReadOnlyList<CitableHit> hits)
    {
        if (hits.Count == 0)
        {
            return "no results";
        }

        return string.Join(Environment.NewLine, hits.Select((hit, i) =>
            $"{i + 1}. [{hit.Trust}{(hit.Pending ? ", pending" : "")}{(hit.Stale ? ", stale" : "")}] {hit.Title}{Environment.NewLine}"
            + $"   {hit.Kind} {hit.Id} in {hit.Subcortex}, updated {hit.Updated.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}{Environment.NewLine}"
            + $"   {hit.Snippet.ReplaceLineEndings(" ")}"));
    }

    private static string[]? NullIfEmpty(string[]? values) => values is { Length: > 0 } ? values : null;
}
