using System.Text.Json;

namespace Cortex.Daemon.Tests;

public sealed class ScanCommandTests : IDisposable
{
    private const string GitHubToken = "ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3z5A";
    private const string AwsKeyId = "AKIAZ3MXQ7R2VBN4KD8P";
    private const string DatabasePassword = "Xk29dLq81zQ";

    private static readonly string Leaky =
        $"# settings\nGITHUB_TOKEN={GitHubToken}\r\nexport AWS_ACCESS_KEY_ID={AwsKeyId}\n  url: postgres://app:{DatabasePassword}@db:5432/x\n";

    private readonly string _directory = Directory.CreateTempSubdirectory("cortex-scan-tests-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Stdin_with_secrets_prints_one_json_line_per_finding_and_exits_1()
    {
        var result = await CortexProcess.RunAsync(Leaky, "scan", "-");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(
            [
                """{"kind":"github-token","line":2,"column":14,"length":40}""",
                """{"kind":"aws-access-key","line":3,"column":26,"length":20}""",
                """{"kind":"url-password","line":4,"column":23,"length":11}""",
            ],
            result.OutputLines);
        Assert.Empty(result.Error);
    }

    [Fact]
    public async Task No_argument_reads_stdin_too()
    {
        var result = await CortexProcess.RunAsync(Leaky, "scan");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(3, result.OutputLines.Length);
    }

    [Fact]
    public async Task A_file_is_scanned_and_the_output_never_contains_a_secret()
    {
        var path = await WriteAsync("leaky.env", Leaky);

        var result = await CortexProcess.RunAsync(null, "scan", path);

        Assert.Equal(1, result.ExitCode);
        Assert.All(result.OutputLines, line =>
        {
            using var json = JsonDocument.Parse(line);
            Assert.Equal(["kind", "line", "column", "length"], json.RootElement.EnumerateObject().Select(property => property.Name));
        });
        foreach (var secret in new[] { GitHubToken, AwsKeyId, DatabasePassword })
        {
            Assert.DoesNotContain(secret, result.Output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_clean_file_prints_nothing_and_exits_0()
    {
        var path = await WriteAsync("clean.md", "commit 3f2a9c1d4e5b6a7980f1e2d3c4b5a69788796a5b\nsee https://example.com/docs\n");

        var result = await CortexProcess.RunAsync(null, "scan", path);

        Assert.Equal((0, "", ""), (result.ExitCode, result.Output, result.Error));
    }

    [Fact]
    public async Task The_allowlist_option_suppresses_allowed_values()
    {
        var allowlist = await WriteAsync("allow.txt", $"# fixtures\nvalue:{GitHubToken}\nregex:^AKIAZ3\n");

        var result = await CortexProcess.RunAsync(Leaky, "scan", "--allowlist", allowlist, "-");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(["""{"kind":"url-password","line":4,"column":23,"length":11}"""], result.OutputLines);
    }

    [Fact]
    public async Task A_missing_file_is_a_usage_error_with_one_line_on_stderr()
    {
        var result = await CortexProcess.RunAsync(null, "scan", Path.Combine(_directory, "missing.txt"));

        Assert.Equal(2, result.ExitCode);
        Assert.Empty(result.Output);
        Assert.Single(result.Error.TrimEnd('\n').Split('\n'));
        Assert.StartsWith("cortex scan: ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_allowlist_is_a_usage_error_naming_its_line()
    {
        var allowlist = await WriteAsync("bad-allow.txt", "value:ok\nnonsense\n");

        var result = await CortexProcess.RunAsync(Leaky, "scan", "--allowlist", allowlist);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Allowlist line 2", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("scan", "--no-such-option")]
    [InlineData("scan", "a.txt", "b.txt")]
    [InlineData("no-such-command")]
    [InlineData]
    public async Task Bad_arguments_are_a_usage_error(params string[] arguments)
    {
        var result = await CortexProcess.RunAsync("", arguments);

        Assert.Equal(2, result.ExitCode);
        Assert.Empty(result.Output);
        Assert.Single(result.Error.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public async Task Help_describes_the_scan_command_and_exits_0()
    {
        var result = await CortexProcess.RunAsync(null, "scan", "--help");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("--allowlist", result.Output, StringComparison.Ordinal);
    }

    private async Task<string> WriteAsync(string name, string content)
    {
        var path = Path.Combine(_directory, name);
        await File.WriteAllTextAsync(path, content);
        return path;
    }
}
