using System.CommandLine;
using System.Diagnostics;
using Cortex.Daemon.LocalApi;
using Cortex.Daemon.Workspace;

namespace Cortex.Daemon.Commands;

/// <summary>
/// <c>cortex start</c>: launches <c>cortex daemon</c> in the background for the current folder, detached from the
/// terminal with its output in <c>.cortex/daemon.log</c>, and returns once its local API answers.
/// </summary>
internal static class StartCommand
{
    public static Command Create()
    {
        var timeout = new Option<int>("--timeout") { Description = "Seconds to wait for the daemon to listen.", DefaultValueFactory = _ => 30 };
        var command = new Command("start", "Start cortexd in the background for the current folder.") { timeout };
        command.SetAction((parseResult, cancellationToken) => RunAsync(
            parseResult.GetValue(timeout), parseResult.InvocationConfiguration.Output, parseResult.InvocationConfiguration.Error, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(int timeoutSeconds, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var workspace = WorkspacePaths.At(Environment.CurrentDirectory);
        try
        {
            // Fail here, in the terminal, rather than in a log nobody reads.
            _ = DaemonSettings.Load(workspace, Environment.GetEnvironmentVariable);
            if (DaemonEndpoint.Read(workspace) is { } running && running.IsAlive())
            {
                await output.WriteLineAsync($"cortexd already running for {workspace.Root} (pid {running.Pid}, port {running.Port})");
                return ExitCodes.Success;
            }

            workspace.EnsureStateDirectory();
            File.Delete(workspace.EndpointFile);
            using var process = Process.Start(Launch(workspace)) ?? throw new WorkspaceException("could not start the daemon process");
            await process.WaitForExitAsync(cancellationToken);

            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(TimeSpan.FromSeconds(timeoutSeconds));
            while (true)
            {
                if (DaemonEndpoint.Read(workspace) is { } endpoint && endpoint.IsAlive())
                {
                    using var client = LocalApiClient.Connect(workspace.Root, TimeSpan.FromSeconds(5));
                    using var status = await client.GetAsync("v1/status", cancellationToken);
                    if (status.IsSuccessStatusCode)
                    {
                        await output.WriteLineAsync($"cortexd started for {workspace.Root} (pid {endpoint.Pid}, local API 127.0.0.1:{endpoint.Port})");
                        return ExitCodes.Success;
                    }
                }

                if (deadline.IsCancellationRequested)
                {
                    throw new WorkspaceException($"cortexd did not start within {timeoutSeconds}s; see {workspace.LogFile}");
                }

                await Task.Delay(TimeSpan.FromMilliseconds(100), CancellationToken.None);
            }
        }
        catch (WorkspaceException exception)
        {
            await error.WriteLineAsync($"cortex start: {exception.Message}");
            return ExitCodes.UsageError;
        }
    }

    /// <summary>A shell that backgrounds <c>cortex daemon</c> in its own session and exits, so the daemon outlives it. The
    /// log (item titles, principal ids, errors) and whatever the daemon creates are its user's alone: umask 077, and a
    /// log made before that is narrowed to 0600.</summary>
    private static ProcessStartInfo Launch(WorkspacePaths workspace)
    {
        var start = new ProcessStartInfo("/bin/sh") { WorkingDirectory = workspace.Root, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("umask 077; log=\"$1\"; shift; : >>\"$log\" && chmod 600 \"$log\" && setsid \"$@\" daemon >>\"$log\" 2>&1 </dev/null &");
        start.ArgumentList.Add("cortex-start");
        start.ArgumentList.Add(workspace.LogFile);
        var self = Environment.ProcessPath ?? throw new WorkspaceException("cannot tell where the cortex executable is");
        start.ArgumentList.Add(self);
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            start.ArgumentList.Add(typeof(StartCommand).Assembly.Location);
        }

        return start;
    }
}
