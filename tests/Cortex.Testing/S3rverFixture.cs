using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using Cortex.ObjectStore;
using Xunit;

namespace Cortex.Testing;

/// <summary>
/// A real S3-protocol server on loopback: the npm package s3rver, pinned by the package-lock.json beside it,
/// installed with <c>npm ci</c> when missing, run by serve.js as a child process on a free loopback port over a
/// temporary directory.
/// </summary>
public sealed class S3rverFixture : IAsyncLifetime
{
    /// <summary>s3rver's fixed credentials.</summary>
    public const string Credential = "S3RVER";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "cortex-s3rver-" + Guid.NewGuid().ToString("N"));
    private Process? _server;

    public string Endpoint { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        var directory = typeof(S3rverFixture).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "S3rverDirectory").Value!;
        if (!Directory.Exists(Path.Combine(directory, "node_modules", "s3rver")))
        {
            await RunToEndAsync("npm", ["ci", "--no-audit", "--no-fund"], directory);
        }

        Directory.CreateDirectory(_dataDirectory);
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add("serve.js");
        start.ArgumentList.Add(_dataDirectory);
        _server = Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
        var errors = _server.StandardError.ReadToEndAsync();

        // serve.js listens on a free port and says which one.
        var line = await _server.StandardOutput.ReadLineAsync().WaitAsync(StartTimeout);
        if (line is null || !line.StartsWith("listening ", StringComparison.Ordinal))
        {
            await _server.WaitForExitAsync().WaitAsync(StartTimeout);
            throw new InvalidOperationException($"s3rver did not start: {line} {await errors}");
        }

        Endpoint = "127.0.0.1:" + int.Parse(line["listening ".Length..], CultureInfo.InvariantCulture);
    }

    public async Task DisposeAsync()
    {
        if (_server is { HasExited: false })
        {
            _server.Kill(entireProcessTree: true);
            await _server.WaitForExitAsync();
        }

        _server?.Dispose();
        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }

    /// <summary>
    /// Options for a store on this server. An <c>accessKey</c> other than s3rver's own is refused (403
    /// InvalidAccessKeyId), as a rotated-away key would be; s3rver does not check V4 signatures, so a wrong secret is not.
    /// </summary>
    public S3ObjectStoreOptions Options(string bucket, string spoolDirectory, string accessKey = Credential) => new()
    {
        Endpoint = Endpoint,
        AccessKey = accessKey,
        SecretKey = Credential,
        Bucket = bucket,
        UseTls = false,
        SpoolDirectory = spoolDirectory,
    };

    private static async Task RunToEndAsync(string fileName, string[] arguments, string directory)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{fileName} did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"'{fileName} {string.Join(' ', arguments)}' in {directory} failed ({process.ExitCode}): " +
                await output + await error);
        }
    }
}
