using Cortex.SecretScanning.Tests.Corpus;

namespace Cortex.SecretScanning.Tests;

public sealed class RedactionTests
{
    private readonly SecretScanner _scanner = new();

    [Fact]
    public void Redaction_replaces_exactly_the_secret_with_a_marker_naming_its_kind()
    {
        var samples = LabelledCorpus.Positives().Where(sample => sample.HasKnownSpan).ToList();
        var checkedSamples = 0;
        foreach (var sample in samples)
        {
            var result = _scanner.Redact(sample.Text);
            if (result.Findings.Count != 1)
            {
                continue;
            }

            checkedSamples++;
            var expected = string.Concat(
                sample.Text.AsSpan(0, sample.SecretStart),
                $"[REDACTED:{sample.Kind}]",
                sample.Text.AsSpan(sample.SecretStart + sample.SecretLength));
            Assert.Equal(expected, result.Text);
        }

        Assert.True(checkedSamples > samples.Count * 9 / 10, $"only {checkedSamples} of {samples.Count} had a single finding");
    }

    [Fact]
    public void Redaction_is_idempotent_and_leaves_nothing_to_find()
    {
        foreach (var sample in LabelledCorpus.Positives())
        {
            var once = _scanner.Redact(sample.Text);
            var twice = _scanner.Redact(once.Text);

            Assert.Equal(once.Text, twice.Text);
            Assert.Empty(twice.Findings);
        }
    }

    [Fact]
    public void Several_secrets_are_each_replaced_and_the_text_between_them_is_kept()
    {
        const string text = "a=1\nexport AWS_ACCESS_KEY_ID=AKIAZ3MXQ7R2VBN4KD8P\nurl: postgres://app:Xk29dLq81zQ@db:5432/x\nend";

        var result = _scanner.Redact(text);

        Assert.Equal(
            "a=1\nexport AWS_ACCESS_KEY_ID=[REDACTED:aws-access-key]\nurl: postgres://app:[REDACTED:url-password]@db:5432/x\nend",
            result.Text);
        Assert.Equal([SecretKinds.AwsAccessKey, SecretKinds.UrlPassword], result.Findings.Select(finding => finding.Kind));
    }

    [Fact]
    public void Clean_text_comes_back_unchanged()
    {
        const string text = "Nothing secret here: commit 3f2a9c1d4e5b6a7980f1e2d3c4b5a69788796a5b, see /usr/lib/x.so";

        var result = _scanner.Redact(text);

        Assert.Same(text, result.Text);
        Assert.False(result.HasFindings);
    }

    [Fact]
    public void A_pem_block_is_replaced_whole_including_its_armour_lines()
    {
        var key = string.Join('\n', Enumerable.Range(0, 6).Select(i => new string((char)('A' + i), 40) + "Zm9vYmFyYmF6cXV4"));
        var text = $"before\n-----BEGIN EC PRIVATE KEY-----\n{key}\n-----END EC PRIVATE KEY-----\nafter";

        var result = _scanner.Redact(text);

        Assert.Equal("before\n[REDACTED:private-key]\nafter", result.Text);
    }
}
