using System.Diagnostics;

namespace Cortex.Daemon.Tests;

/// <summary>Runs the built <c>cortex</c> executable (cortex.dll beside the tests) as a child process.</summary>
internal static class CortexProcess
{
    /// <summary>Not an environment variable: the key under which <see cref="RunAsync(string?, IReadOnlyDictionary{string, string}, string[])"/> takes the child's working directory.</summary>
    public const string WorkingDirectory = "(cwd)";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static Task<CortexResult> RunAsync(string? standardInput, params string[] arguments) =>
        RunAsync(standardInput, new Dictionary<string, string>(), arguments);

    public static async Task<CortexResult> RunAsync(string? standardInput, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = environment.GetValueOrDefault(WorkingDirectory, Environment.CurrentDirectory),
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "cortex.dll"));
        foreach (var (name, value) in environment.Where(p => p.Key != WorkingDirectory))
        {
            start.Environment[name] = value;
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start cortex");
        using var cancellation = new CancellationTokenSource(Timeout);
        var output = process.StandardOutput.ReadToEndAsync(cancellation.Token);
        var error = process.StandardError.ReadToEndAsync(cancellation.Token);
        if (standardInput is not null)
        {
            await process.StandardInput.WriteAsync(standardInput.AsMemory(), cancellation.Token);
        }

        process.StandardInput.Close();
        await process.WaitForExitAsync(cancellation.Token);
        return new CortexResult(process.ExitCode, await output, await error);
    }
}

internal sealed record CortexResult(int ExitCode, string Output, string Error)
{
    public string[] OutputLines => Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
