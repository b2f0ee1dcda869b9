using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cortex.Daemon.Tests;

/// <summary>A real <c>cortex mcp</c> child process driven over stdio with newline-delimited JSON-RPC, as an agent's
/// MCP client does; every request and its response are kept for golden comparison.</summary>
internal sealed class McpStdioSession : IAsyncDisposable
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(60);
    private readonly Process _process;
    private readonly Task<string> _errors;
    private int _nextId;

    private McpStdioSession(Process process)
    {
        _process = process;
        _errors = process.StandardError.ReadToEndAsync();
    }

    public static async Task<McpStdioSession> StartAsync(string workingDirectory, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "cortex.dll"));
        start.ArgumentList.Add("mcp");
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var session = new McpStdioSession(Process.Start(start) ?? throw new InvalidOperationException("could not start cortex mcp"));
        await session.CallAsync("initialize", new JsonObject
        {
            ["protocolVersion"] = "2025-06-18",
            ["capabilities"] = new JsonObject(),
            ["clientInfo"] = new JsonObject { ["name"] = "cortex-tests", ["version"] = "1.0" },
        });
        await session.SendAsync(new JsonObject { ["jsonrpc"] = "2.0", ["method"] = "notifications/initialized" });
        return session;
    }

    public async Task<(JsonObject Request, JsonObject Response)> CallAsync(string method, JsonObject? parameters = null)
    {
        var request = new JsonObject { ["jsonrpc"] = "2.0", ["id"] = ++_nextId, ["method"] = method };
        if (parameters is not null)
        {
            request["params"] = parameters;
        }

        await SendAsync(request);
        using var timeout = new CancellationTokenSource(CallTimeout);
        while (true)
        {
            var line = await _process.StandardOutput.ReadLineAsync(timeout.Token)
                ?? throw new InvalidOperationException($"cortex mcp closed its output; stderr: {await ErrorsAsync()}");
            var message = JsonNode.Parse(line)!.AsObject();
            if (message["id"] is { } id && id.GetValueKind() == JsonValueKind.Number && id.GetValue<int>() == _nextId)
            {
                return (request, message);
            }
        }
    }

    public Task<(JsonObject Request, JsonObject Response)> CallToolAsync(string name, JsonObject arguments) =>
        CallAsync("tools/call", new JsonObject { ["name"] = name, ["arguments"] = arguments });

    public async ValueTask DisposeAsync()
    {
        _process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    private async Task<string> ErrorsAsync()
    {
        await Task.WhenAny(_errors, Task.Delay(TimeSpan.FromSeconds(2)));
        return _errors.IsCompleted ? await _errors : "";
    }

    private async Task SendAsync(JsonObject message)
    {
        await _process.StandardInput.WriteLineAsync(message.ToJsonString());
        await _process.StandardInput.FlushAsync();
    }
}
