using System.CommandLine;
using Cortex.Daemon.LocalApi;
using Cortex.Daemon.Sync;
using Cortex.Daemon.Workspace;

namespace Cortex.Daemon.Commands;

/// <summary><c>cortex daemon</c>: runs cortexd in the foreground for the current folder (what <c>cortex start</c> launches).</summary>
internal static class DaemonCommand
{
    public static Command Create()
    {
        var command = new Command("daemon", "Run cortexd in the foreground for the current folder (what 'cortex start' launches).");
        command.SetAction((parseResult, cancellationToken) => RunAsync(parseResult.InvocationConfiguration.Error, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(TextWriter error, CancellationToken cancellationToken)
    {
        var workspace = WorkspacePaths.At(Environment.CurrentDirectory);
        try
        {
            var settings = DaemonSettings.Load(workspace, Environment.GetEnvironmentVariable);
            await using var host = await DaemonHost.StartAsync(workspace, settings, new SyncEngineOptions { PullBatchSize = settings.PullBatchSize }, cancellationToken);
            await host.WaitForShutdownAsync(cancellationToken);
            return ExitCodes.Success;
        }
        catch (WorkspaceException exception)
        {
            await error.WriteLineAsync($"cortex daemon: {exception.Message}");
            return ExitCodes.UsageError;
        }
    }
}
