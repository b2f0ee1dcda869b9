using System.Text.Json;

namespace Cortex.Daemon.Workspace;

/// <summary>The running daemon's process id and local API port, as stored in <c>.cortex/daemon.json</c>.</summary>
internal sealed record DaemonEndpoint(int Pid, int Port)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");

    public void Write(WorkspacePaths workspace)
    {
        var temporary = workspace.EndpointFile + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(this, Json));
        File.Move(temporary, workspace.EndpointFile, overwrite: true);
    }

    public static DaemonEndpoint? Read(WorkspacePaths workspace)
    {
        try
        {
            return JsonSerializer.Deserialize<DaemonEndpoint>(File.ReadAllText(workspace.EndpointFile), Json);
        }
        catch (Exception exception) when (exception is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Whether the process named in the file still runs (a crashed daemon leaves a stale file).</summary>
    public bool IsAlive()
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(Pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
