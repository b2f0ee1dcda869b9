using System.Collections.Concurrent;
using System.Diagnostics;

namespace Cortex.Jobs.Tests;

/// <summary>
/// A real <c>cortex-worker</c> process (the build copies it beside the tests) with the test handlers enabled,
/// configured through environment variables as in production.
/// </summary>
internal sealed class WorkerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private WorkerProcess(
        string workerId, string connectionString, TimeSpan lease, int concurrency, IReadOnlyDictionary<string, string>? environment)
    {
        WorkerId = workerId;
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "cortex-worker.dll"));
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["Cortex__Database__ConnectionString"] = connectionString;
        start.Environment["Cortex__Worker__WorkerId"] = workerId;
        start.Environment["Cortex__Worker__Concurrency"] = concurrency.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["Cortex__Worker__LeaseDuration"] = lease.ToString("c");
        start.Environment["Cortex__Worker__PollInterval"] = "00:00:01";
        start.Environment["Cortex__Worker__EnableTestHandlers"] = "true";
        start.Environment["Logging__Console__FormatterName"] = "simple";
        start.Environment["Logging__Console__FormatterOptions__SingleLine"] = "true";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) => Observe(e.Data);
        _process.ErrorDataReceived += (_, e) => Observe(e.Data);
    }

    public string WorkerId { get; }

    public string Output => string.Join(Environment.NewLine, _output);

    public static async Task<WorkerProcess> StartAsync(
        string workerId, string connectionString, TimeSpan lease, int concurrency = 4,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var worker = new WorkerProcess(workerId, connectionString, lease, concurrency, environment);
        worker._process.Start();
        worker._process.BeginOutputReadLine();
        worker._process.BeginErrorReadLine();
        var exited = worker._process.WaitForExitAsync();
        var first = await Task.WhenAny(worker._ready.Task, exited).WaitAsync(TimeSpan.FromSeconds(60));
        if (first == exited)
        {
            throw new InvalidOperationException($"{workerId} exited before it was ready:\n{worker.Output}");
        }

        return worker;
    }

    /// <summary>Kills the process outright, as a crash or an OOM kill would.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await KillAsync();
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
        if (line.Contains($"Job runner {WorkerId} is ready", StringComparison.Ordinal))
        {
            _ready.TrySetResult();
        }
    }
}
