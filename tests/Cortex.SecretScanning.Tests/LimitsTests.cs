using System.Diagnostics;
using System.Text;

namespace Cortex.SecretScanning.Tests;

public sealed class LimitsTests
{
    private const string Token = "ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3z5A";

    [Fact]
    public void Input_over_the_limit_is_refused_with_a_message_that_names_the_setting()
    {
        var scanner = new SecretScanner(new SecretScannerOptions { MaxInputLength = 1000 });

        var exception = Assert.Throws<SecretInputTooLargeException>(() => scanner.Scan(new string('a', 1001)));

        Assert.Equal((1001, 1000), (exception.InputLength, exception.MaxInputLength));
        Assert.Contains("SecretScannerOptions.MaxInputLength", exception.Message, StringComparison.Ordinal);
        Assert.Throws<SecretInputTooLargeException>(() => scanner.Redact(new string('a', 1001)));
        Assert.Empty(scanner.Scan(new string('a', 1000)));
    }

    [Fact]
    public void A_non_positive_limit_is_rejected_at_construction()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SecretScanner(new SecretScannerOptions { MaxInputLength = 0 }));
    }

    // Inputs built to make backtracking engines explode: long runs that almost match, unterminated PEM armour,
    // endless assignments. The linear engine gets through each in one pass and still finds the secret at the end.
    // Also repeated prefixes, which make a counted repetition such as {16,} multiply the engine's states.
    [Theory]
    [InlineData("a")]
    [InlineData("aB3+/")]
    [InlineData("password=")]
    [InlineData("; password=")]
    [InlineData("token: ")]
    [InlineData("--api-key ")]
    [InlineData("aws_secret_access_key=")]
    [InlineData("AccountKey=")]
    [InlineData("_authToken=")]
    [InlineData("-----BEGIN RSA PRIVATE KEY-----\n")]
    [InlineData("eyJhbGciOiJIUzI1NiJ9.")]
    [InlineData("https://u:")]
    [InlineData("AKIA")]
    [InlineData("AIza")]
    [InlineData("glpat-")]
    [InlineData("sk-ant-api03-")]
    [InlineData("sk-proj-")]
    [InlineData("Bearer ")]
    [InlineData("Authorization: Basic ")]
    [InlineData("xoxb-")]
    [InlineData("Pwd=abcd;")]
    public void A_pathological_megabyte_input_is_scanned_in_linear_time(string unit)
    {
        var text = new StringBuilder().Insert(0, unit, (1024 * 1024) / unit.Length).Append('\n').Append(Token).ToString();
        var scanner = new SecretScanner();

        var stopwatch = Stopwatch.StartNew();
        var findings = scanner.Scan(text);
        stopwatch.Stop();

        var last = findings[^1];
        Assert.Equal(SecretKinds.GitHubToken, last.Kind);
        Assert.Equal(text.Length - Token.Length, last.Offset);
        Assert.Equal(text.Count(c => c == '\n') + 1, last.Line);
        // A generous bound for a shared CI machine: a backtracking blow-up would take hours, not seconds.
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(30), $"took {stopwatch.Elapsed}");
    }

    [Fact]
    public void Eight_megabytes_of_mixed_text_with_secrets_throughout_are_all_found()
    {
        var line = $"2026-03-14T09:21:07Z INFO request ok id=3f2a9c1d-4e5b-6a79-80f1-e2d3c4b5a697 user=alice path=/v1/items\n";
        var builder = new StringBuilder();
        var planted = 0;
        while (builder.Length < 8 * 1024 * 1024 - 200)
        {
            builder.Append(line);
            if (builder.Length % 100_000 < line.Length)
            {
                builder.Append("GITHUB_TOKEN=").Append(Token).Append('\n');
                planted++;
            }
        }

        var findings = new SecretScanner().Scan(builder.ToString());

        Assert.Equal(planted, findings.Count);
        Assert.All(findings, finding => Assert.Equal(SecretKinds.GitHubToken, finding.Kind));
    }
}
