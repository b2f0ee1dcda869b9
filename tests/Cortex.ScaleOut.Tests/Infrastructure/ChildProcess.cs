using System.Collections.Concurrent;
using System.Diagnostics;

namespace Cortex.ScaleOut.Tests.Infrastructure;

/// <summary>A process started by a test, its output kept for failure messages, killed (with its children) on dispose.</summary>
internal sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly string _readyLine;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ChildProcess(ProcessStartInfo start, string readyLine)
    {
        _readyLine = readyLine;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) => Observe(e.Data);
        _process.ErrorDataReceived += (_, e) => Observe(e.Data);
    }

    public string Output => string.Join(Environment.NewLine, _output);

    /// <summary>Starts the process and waits until it prints <paramref name="readyLine"/>.</summary>
    public static async Task<ChildProcess> StartAsync(ProcessStartInfo start, string readyLine, string name)
    {
        var child = new ChildProcess(start, readyLine);
        child._process.Start();
        child._process.BeginOutputReadLine();
        child._process.BeginErrorReadLine();
        var exited = child._process.WaitForExitAsync();
        try
        {
            var first = await Task.WhenAny(child._ready.Task, exited).WaitAsync(TimeSpan.FromSeconds(60));
            if (first == exited)
            {
                throw new InvalidOperationException($"{name} exited before it was ready:\n{child.Output}");
            }
        }
        catch
        {
            await child.DisposeAsync();
            throw;
        }

        return child;
    }

    /// <summary>
    /// Runs an executable copied beside the tests with the tests' own runtime config and dependency list: beside the
    /// ASP.NET framework the tests use, a worker's own config would miss the hosting packages the framework supplies.
    /// </summary>
    public static ProcessStartInfo Dotnet(string dll)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
        };
        var tests = Path.Combine(AppContext.BaseDirectory, typeof(ChildProcess).Assembly.GetName().Name!);
        foreach (var arg in new[] { "exec", "--runtimeconfig", tests + ".runtimeconfig.json", "--depsfile", tests + ".deps.json" })
        {
            start.ArgumentList.Add(arg);
        }

        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, dll));
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Logging__Console__FormatterName"] = "simple";
        start.Environment["Logging__Console__FormatterOptions__SingleLine"] = "true";
        return start;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Observe(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        if (line.Contains(_readyLine, StringComparison.Ordinal))
        {
            _ready.TrySetResult();
        }
    }
}
