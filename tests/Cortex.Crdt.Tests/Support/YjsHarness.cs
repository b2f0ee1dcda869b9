using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Cortex.Crdt.Tests.Support;

/// <summary>
/// A long-running Node process (tests/yjs-interop/harness.mjs) hosting real yjs 13.6.33 documents.
/// Installs the locked Node packages with <c>npm ci</c> once per test run when node_modules is missing.
/// </summary>
public sealed class YjsHarness : IDisposable
{
    private static readonly SemaphoreSlim InstallLock = new(1, 1);
    private readonly Process _process;
    private readonly Lock _gate = new();
    private long _nextId;

    public YjsHarness()
    {
        var dir = InteropDirectory;
        EnsureInstalled(dir);
        var psi = new ProcessStartInfo("node", "harness.mjs")
        {
            WorkingDirectory = dir,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        _process = Process.Start(psi) ?? throw new InvalidOperationException("Could not start node");
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginErrorReadLine();
    }

    public static string RepoRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir != null && !File.Exists(Path.Combine(dir.FullName, "Cortex.sln")))
            {
                dir = dir.Parent;
            }

            return dir?.FullName ?? throw new InvalidOperationException("Repository root not found");
        }
    }

    public static string InteropDirectory => Path.Combine(RepoRoot, "tests", "yjs-interop");

    public static string TracesDirectory => Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "data", "editing-traces"));

    private static void EnsureInstalled(string dir)
    {
        InstallLock.Wait();
        try
        {
            // A file lock too, so parallel test processes do not run npm ci at the same time.
            using var fileLock = AcquireFileLock(Path.Combine(dir, ".install.lock"));
            if (Directory.Exists(Path.Combine(dir, "node_modules", "yjs")) && Directory.Exists(Path.Combine(dir, "node_modules", "y-protocols")))
            {
                return;
            }

            var psi = new ProcessStartInfo("npm", "ci --no-audit --no-fund")
            {
                WorkingDirectory = dir,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            using var npm = Process.Start(psi) ?? throw new InvalidOperationException("Could not start npm");
            var stderr = npm.StandardError.ReadToEndAsync();
            npm.StandardOutput.ReadToEnd();
            npm.WaitForExit();
            if (npm.ExitCode != 0)
            {
                throw new InvalidOperationException("npm ci failed: " + stderr.Result);
            }
        }
        finally
        {
            InstallLock.Release();
        }
    }

    private static FileStream AcquireFileLock(string path)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException) when (attempt < 600)
            {
                Thread.Sleep(100);
            }
        }
    }

    public JsonObject Call(string cmd, JsonObject? args = null)
    {
        lock (_gate)
        {
            var request = args ?? [];
            var id = ++_nextId;
            request["id"] = id;
            request["cmd"] = cmd;
            _process.StandardInput.WriteLine(request.ToJsonString());
            _process.StandardInput.Flush();
            var line = _process.StandardOutput.ReadLine() ?? throw new InvalidOperationException("yjs harness exited");
            var reply = JsonNode.Parse(line)!.AsObject();
            if (reply["ok"]?.GetValue<bool>() != true)
            {
                throw new InvalidOperationException($"yjs harness error for {cmd}: {reply["error"]}");
            }

            return reply;
        }
    }

    public void Dispose()
    {
        try
        {
            _process.StandardInput.Close();
            if (!_process.WaitForExit(5000))
            {
                _process.Kill();
            }
        }
        finally
        {
            _process.Dispose();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class YjsCollection : ICollectionFixture<YjsHarness>
{
    public const string Name = "yjs";
}
