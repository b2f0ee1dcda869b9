namespace Cortex.SecretScanning.Tests;

public sealed class AllowlistTests
{
    private const string FixtureToken = "ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3z5A";
    private const string OtherToken = "ghp_Zz9yX8wV7uT6sR5qP4oN3mL2kJ1iH0gF9eD8";
    private static readonly string Text = $"FIXTURE_TOKEN={FixtureToken}\nREAL_TOKEN={OtherToken}\n";

    [Fact]
    public void An_exact_value_is_not_reported_and_other_secrets_still_are()
    {
        var findings = Scan(new SecretAllowlist([FixtureToken], [], []));

        var finding = Assert.Single(findings);
        Assert.Equal(2, finding.Line);
    }

    [Fact]
    public void A_sha256_fingerprint_allows_a_value_without_writing_it_down()
    {
        var findings = Scan(new SecretAllowlist([], [SecretAllowlist.Fingerprint(FixtureToken).ToUpperInvariant()], []));

        Assert.Equal(2, Assert.Single(findings).Line);
    }

    [Fact]
    public void A_regex_is_matched_against_the_value()
    {
        var findings = Scan(new SecretAllowlist([], [], ["^ghp_aB3d"]));

        Assert.Equal(2, Assert.Single(findings).Line);
    }

    [Fact]
    public void Fingerprint_is_the_lowercase_hex_sha256_of_the_utf8_bytes()
    {
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", SecretAllowlist.Fingerprint("abc"));
    }

    [Fact]
    public void The_file_format_has_values_fingerprints_patterns_and_comments()
    {
        var allowlist = SecretAllowlist.Parse(
            $"# test fixtures\r\nvalue:{FixtureToken}\r\n\r\nsha256:{SecretAllowlist.Fingerprint("hunter2hunter2")}\nregex:^AKIA0{{16}}$\n");

        Assert.True(allowlist.IsAllowed(FixtureToken));
        Assert.True(allowlist.IsAllowed("hunter2hunter2"));
        Assert.True(allowlist.IsAllowed("AKIA0000000000000000"));
        Assert.False(allowlist.IsAllowed(OtherToken));
        Assert.False(allowlist.IsAllowed(FixtureToken + "\r"));
    }

    [Theory]
    [InlineData("token:abc", 1)]
    [InlineData("# ok\nsha256:1234", 2)]
    [InlineData("value:x\n\nregex:(unclosed", 3)]
    [InlineData("regex:(?<=ghp_)x", 1)]
    [InlineData("value:", 1)]
    public void A_bad_line_is_rejected_with_its_line_number(string text, int line)
    {
        var exception = Assert.Throws<FormatException>(() => SecretAllowlist.Parse(text));

        Assert.StartsWith($"Allowlist line {line}:", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_reads_a_file()
    {
        var path = Path.Combine(Path.GetTempPath(), $"cortex-allowlist-{Guid.NewGuid():N}.txt");
        await File.WriteAllTextAsync(path, $"value:{FixtureToken}\n");
        try
        {
            var allowlist = await SecretAllowlist.LoadAsync(path);

            Assert.True(allowlist.IsAllowed(FixtureToken));
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static IReadOnlyList<SecretFinding> Scan(SecretAllowlist allowlist) =>
        new SecretScanner(new SecretScannerOptions { Allowlist = allowlist }).Scan(Text);
}
