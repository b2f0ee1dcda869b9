using System.CommandLine;

namespace Cortex.Daemon.Commands;

/// <summary>The <c>cortex</c> command tree. A new command is one file in this folder plus one line below.</summary>
internal static class CortexCommandLine
{
    public static RootCommand CreateRootCommand() =>
        new("cortex: the workspace daemon and command line for Cortex, the shared memory of humans and agents.")
        {
            ScanCommand.Create(),
            StartCommand.Create(), StopCommand.Create(), DaemonCommand.Create(), StatusCommand.Create(), WaitCommand.Create(), PostCommand.Create(),
            McpCommand.Create(), SearchCommand.Create(), HookCommand.Create(),
        };

    public static async Task<int> InvokeAsync(
        string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        var parseResult = CreateRootCommand().Parse(args);
        if (parseResult.Errors.Count > 0)
        {
            await error.WriteLineAsync($"cortex: {parseResult.Errors[0].Message} (see 'cortex --help')");
            return ExitCodes.UsageError;
        }

        var configuration = new InvocationConfiguration { Output = output, Error = error };
        return await parseResult.InvokeAsync(configuration, cancellationToken);
    }
}
