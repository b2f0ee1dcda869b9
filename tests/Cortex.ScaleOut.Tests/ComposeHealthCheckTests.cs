using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Cortex.ScaleOut.Tests.Infrastructure;

namespace Cortex.ScaleOut.Tests;

/// <summary>
/// The compose file's Redis health check, run as the container runs it (<c>sh -c</c>, the password in REDISCLI_AUTH)
/// against Debian's redis-server with a password: healthy only when Redis answers, not when it refuses the password.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed partial class ComposeHealthCheckTests : IAsyncLifetime, IDisposable
{
    private const string Password = "right-password";
    private readonly int _port = FreePort.Next();
    private readonly string _bin = Directory.CreateTempSubdirectory("cortex-redis-cli-").FullName;
    private ChildProcess? _redis;

    public async Task InitializeAsync()
    {
        var redis = new ProcessStartInfo("redis-server");
        foreach (var arg in new[] { "--port", _port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--requirepass", Password })
        {
            redis.ArgumentList.Add(arg);
        }

        _redis = await ChildProcess.StartAsync(redis, "Ready to accept connections", "redis-server");
        // In the container redis-cli reaches the default port; here a shim in PATH points it at the test's server.
        var shim = Path.Combine(_bin, "redis-cli");
        await File.WriteAllTextAsync(shim, $"#!/bin/sh\nexec /usr/bin/redis-cli -p {_port} \"$@\"\n");
        File.SetUnixFileMode(shim, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    public async Task DisposeAsync()
    {
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
    }

    public void Dispose() => Directory.Delete(_bin, recursive: true);

    [Fact]
    public async Task The_redis_health_check_passes_with_the_password_and_fails_without_it()
    {
        var check = RedisHealthCheck();

        Assert.Equal(0, await RunAsync(check, Password));
        Assert.NotEqual(0, await RunAsync(check, "wrong-password"));
        Assert.NotEqual(0, await RunAsync(check, ""));
    }

    private static string RedisHealthCheck()
    {
        var compose = File.ReadAllText(ComposeFile());
        var redis = compose[compose.IndexOf("\n  redis:", StringComparison.Ordinal)..];
        var match = ShellHealthCheck().Match(redis);
        Assert.True(match.Success, "the redis service's health check is not a CMD-SHELL test");
        return match.Groups["command"].Value;
    }

    private async Task<int> RunAsync(string command, string password)
    {
        var start = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(command);
        start.Environment["PATH"] = _bin + ":" + Environment.GetEnvironmentVariable("PATH");
        start.Environment["REDISCLI_AUTH"] = password;
        using var process = Process.Start(start)!;
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        return process.ExitCode;
    }

    private static string ComposeFile()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "docker-compose.yml");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"docker-compose.yml not found above {AppContext.BaseDirectory}");
    }

    [GeneratedRegex("""healthcheck:\s*(?:#[^\n]*\n\s*)*test:\s*\["CMD-SHELL",\s*"(?<command>[^"]+)"\]""")]
    private static partial Regex ShellHealthCheck();
}
