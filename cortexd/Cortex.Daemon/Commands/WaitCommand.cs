using System.CommandLine;
using Cortex.Daemon.LocalApi;
using Cortex.Daemon.Workspace;

namespace Cortex.Daemon.Commands;

/// <summary><c>cortex wait [--timeout S]</c>: blocks until the replica is caught up and the outbox drained (exit 0), or
/// the timeout passes (exit 1), for scripts and tests.</summary>
internal static class WaitCommand
{
    public static Command Create()
    {
        var timeout = new Option<int>("--timeout") { Description = "Seconds to wait before giving up.", DefaultValueFactory = _ => 60 };
        var command = new Command("wait", "Wait until the replica is caught up and the outbox is drained.") { timeout };
        command.SetAction((parseResult, cancellationToken) => RunAsync(
            parseResult.GetValue(timeout), parseResult.InvocationConfiguration.Output, parseResult.InvocationConfiguration.Error, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(int timeoutSeconds, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        try
        {
            var timeout = TimeSpan.FromSeconds(Math.Max(1, timeoutSeconds));
            using var client = LocalApiClient.Connect(Environment.CurrentDirectory, timeout + TimeSpan.FromSeconds(10));
            using var response = await client.PostAsync($"v1/wait?timeoutMs={(int)timeout.TotalMilliseconds}", new { }, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                await output.WriteLineAsync("caught up");
                return ExitCodes.Success;
            }

            await error.WriteLineAsync($"cortex wait: {await LocalApiClient.DescribeFailureAsync(response, cancellationToken)}");
            return ExitCodes.Findings;
        }
        catch (Exception exception) when (exception is WorkspaceException or HttpRequestException)
        {
            await error.WriteLineAsync($"cortex wait: {exception.Message.ReplaceLineEndings(" ")}");
            return ExitCodes.UsageError;
        }
    }
}
