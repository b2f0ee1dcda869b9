using System.CommandLine;
using Cortex.Daemon.LocalApi;
using Cortex.Daemon.Mcp;
using Cortex.Daemon.Search;
using Cortex.Daemon.Workspace;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cortex.Daemon.Commands;

/// <summary>
/// <c>cortex mcp</c>: the MCP server over stdio for an agent in this workspace. Reads come from the replica file
/// (so they work with the daemon or the server down); writes go through the daemon when it runs, else into the
/// outbox on disk. Logs go to stderr: stdout carries the protocol.
/// </summary>
internal static class McpCommand
{
    public static Command Create()
    {
        var command = new Command("mcp", "Serve the Model Context Protocol over stdio for an agent working in this folder.");
        command.SetAction((parseResult, cancellationToken) => RunAsync(parseResult.InvocationConfiguration.Error, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(TextWriter error, CancellationToken cancellationToken)
    {
        try
        {
            var workspace = WorkspacePaths.Find(Environment.CurrentDirectory)
                ?? throw new WorkspaceException($"no Cortex workspace at or above {Environment.CurrentDirectory}; run 'cortex start' there first");
            var writer = new CliWriter(workspace, LazyEmbedder.Shared);
            if (!File.Exists(workspace.ReplicaFile))
            {
                await writer.StatusAsync(cancellationToken);
            }

            var builder = Host.CreateApplicationBuilder();
            builder.Logging.ClearProviders();
            builder.Logging.AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.Services.AddSingleton<IWorkspaceWriter>(writer);
            builder.Services.AddCortexMcp(new WorkspaceSearch(workspace.ReplicaFile, LazyEmbedder.Shared), Environment.CurrentDirectory)
                .WithStdioServerTransport();
            await builder.Build().RunAsync(cancellationToken);
            return ExitCodes.Success;
        }
        catch (WorkspaceException exception)
        {
            await error.WriteLineAsync($"cortex mcp: {exception.Message}");
            return ExitCodes.UsageError;
        }
    }
}
