using System.CommandLine;
using Cortex.Daemon.LocalApi;
using Cortex.Daemon.Workspace;

namespace Cortex.Daemon.Commands;

/// <summary><c>cortex stop</c>: asks the workspace's daemon to shut down and waits until its process is gone.</summary>
internal static class StopCommand
{
    public static Command Create()
    {
        var command = new Command("stop", "Stop the cortexd of the current workspace.");
        command.SetAction((parseResult, cancellationToken) => RunAsync(
            parseResult.InvocationConfiguration.Output, parseResult.InvocationConfiguration.Error, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var workspace = WorkspacePaths.Find(Environment.CurrentDirectory);
        if (workspace is null || DaemonEndpoint.Read(workspace) is not { } endpoint || !endpoint.IsAlive())
        {
            await output.WriteLineAsync("cortexd is not running here");
            return ExitCodes.Success;
        }

        try
        {
            using var client = LocalApiClient.Connect(workspace.Root, TimeSpan.FromSeconds(10));
            using var response = await client.PostAsync("v1/shutdown", new { }, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                await error.WriteLineAsync($"cortex stop: {await LocalApiClient.DescribeFailureAsync(response, cancellationToken)}");
                return ExitCodes.UsageError;
            }

            using var process = System.Diagnostics.Process.GetProcessById(endpoint.Pid);
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(TimeSpan.FromSeconds(30));
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (Exception exception) when (exception is WorkspaceException or HttpRequestException or OperationCanceledException or ArgumentException)
        {
            if (endpoint.IsAlive())
            {
                await error.WriteLineAsync($"cortex stop: cortexd (pid {endpoint.Pid}) did not stop: {exception.Message.ReplaceLineEndings(" ")}");
                return ExitCodes.UsageError;
            }
        }

        await output.WriteLineAsync($"cortexd stopped (pid {endpoint.Pid})");
        return ExitCodes.Success;
    }
}
