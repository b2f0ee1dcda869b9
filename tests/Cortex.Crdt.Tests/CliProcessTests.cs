using System.Diagnostics;
using Cortex.Crdt.Core;
using Cortex.Crdt.Tests.Support;

namespace Cortex.Crdt.Tests;

/// <summary>
/// The real cortex-crdt executable on hostile input: one line on stderr, exit code 1, nothing on stdout, and it ends
/// on its own. A crash (stack overflow, out of memory) would show as another exit code; a hang as the timeout.
/// </summary>
public sealed class CliProcessTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly string _dir = Directory.CreateTempSubdirectory("cortex-crdt-process-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public static TheoryData<string, string> Inputs() => new()
    {
        { "json", "garbage" },
        { "dump", "garbage" },
        { "merge", "truncated" },
        { "json", "huge-count" },
        { "merge", "huge-count" },
        { "state-vector", "huge-count" },
        { "json", "deeply-nested" },
        { "diff", "truncated" },
    };

    [Theory]
    [MemberData(nameof(Inputs))]
    public async Task Malformed_files_give_one_line_and_exit_1_without_crashing_or_hanging(string command, string input)
    {
        var path = Path.Combine(_dir, input + ".bin");
        await File.WriteAllBytesAsync(path, Bytes(input));
        // One file alone is merged as itself, unread, as yjs's mergeUpdates does; two make it decode.
        string[] args = command is "diff" or "merge" ? [command, path, path] : [command, path];

        var (code, stdout, stderr) = await RunAsync([], args);

        Assert.True(code == 1, $"{command} {input}: exit {code}\n{stderr}");
        Assert.Empty(stdout);
        Assert.StartsWith("cortex-crdt: ", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public async Task Malformed_stdin_is_reported_the_same_way()
    {
        var (code, stdout, stderr) = await RunAsync(Bytes("truncated"), ["state-vector", "-"]);
        Assert.Equal(1, code);
        Assert.Empty(stdout);
        Assert.Single(stderr.TrimEnd('\n').Split('\n'));
    }

    private static byte[] Bytes(string input)
    {
        var doc = new Doc(3);
        doc.GetText("t").Insert(0, "a valid update, cut short");
        var valid = Y.EncodeStateAsUpdate(doc);
        return input switch
        {
            "garbage" => [.. Enumerable.Range(0, 64).Select(i => (byte)(i * 37 + 11))],
            "truncated" => valid[..(valid.Length / 2)],
            "huge-count" => MalformedUpdates.HugeStructCount,
            _ => MalformedUpdates.DeeplyNestedMaps(100_000),
        };
    }

    private static async Task<(int Code, byte[] Stdout, string Stderr)> RunAsync(byte[] stdin, string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "cortex-crdt.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        using var stdout = new MemoryStream();
        var readOut = process.StandardOutput.BaseStream.CopyToAsync(stdout);
        var readErr = process.StandardError.ReadToEndAsync();
        await process.StandardInput.BaseStream.WriteAsync(stdin);
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"cortex-crdt {string.Join(' ', args)} did not end within {Timeout.TotalSeconds} s");
        }

        await readOut;
        return (process.ExitCode, stdout.ToArray(), await readErr);
    }
}
