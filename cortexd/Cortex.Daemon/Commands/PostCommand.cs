using System.CommandLine;
using System.Net.Http.Json;
using System.Text.Json;
using Cortex.Daemon.LocalApi;
using Cortex.Daemon.Workspace;
using Cortex.SyncProtocol;

namespace Cortex.Daemon.Commands;

/// <summary>
/// <c>cortex post thread|comment …</c>: queues a write in the replica's outbox through the daemon; it reaches the
/// server when connected (at once, or after an outage) and its verdict shows in <c>cortex status</c>.
/// </summary>
internal static class PostCommand
{
    public static Command Create()
    {
        var subcortex = new Option<string>("--subcortex") { Description = "The subcortex's slug.", Required = true };
        var title = new Option<string>("--title") { Required = true };
        var body = new Option<string>("--body") { Required = true, Description = "Markdown." };
        var kind = new Option<string?>("--kind") { Description = "discussion, question, incident, decision…" };
        var thread = new Command("thread", "Queue a new thread.") { subcortex, title, body, kind };
        thread.SetAction((parseResult, cancellationToken) => EnqueueAsync(
            MutationKinds.CreateThread,
            parseResult.GetValue(subcortex)!,
            new { title = parseResult.GetValue(title), body = parseResult.GetValue(body), kind = parseResult.GetValue(kind) },
            parseResult.InvocationConfiguration,
            cancellationToken));

        var threadId = new Option<string>("--thread") { Description = "The thread's id.", Required = true };
        var commentBody = new Option<string>("--body") { Required = true, Description = "Markdown." };
        var comment = new Command("comment", "Queue a comment on a thread.") { threadId, commentBody };
        comment.SetAction((parseResult, cancellationToken) => EnqueueAsync(
            MutationKinds.CreateComment,
            parseResult.GetValue(threadId)!,
            new { body = parseResult.GetValue(commentBody) },
            parseResult.InvocationConfiguration,
            cancellationToken));

        return new Command("post", "Queue a write in the outbox; it is uploaded when the server is reachable.") { thread, comment };
    }

    private static async Task<int> EnqueueAsync(
        string mutationKind, string targetId, object payload, InvocationConfiguration console, CancellationToken cancellationToken)
    {
        try
        {
            using var client = LocalApiClient.Connect(Environment.CurrentDirectory, TimeSpan.FromSeconds(10));
            var request = new { kind = mutationKind, targetId, payload = JsonSerializer.SerializeToElement(payload) };
            using var response = await client.PostAsync("v1/outbox", request, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                await console.Error.WriteLineAsync($"cortex post: {await LocalApiClient.DescribeFailureAsync(response, cancellationToken)}");
                return ExitCodes.UsageError;
            }

            var queued = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
            await console.Output.WriteLineAsync($"queued {queued.GetProperty("clientId").GetString()} (see 'cortex status' for its verdict)");
            return ExitCodes.Success;
        }
        catch (Exception exception) when (exception is WorkspaceException or HttpRequestException)
        {
            await console.Error.WriteLineAsync($"cortex post: {exception.Message.ReplaceLineEndings(" ")}");
            return ExitCodes.UsageError;
        }
    }
}
