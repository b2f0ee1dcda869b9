using Cortex.SecretScanning.Tests.Corpus;

namespace Cortex.SecretScanning.Tests;

public sealed class FindingTests
{
    private readonly SecretScanner _scanner = new();

    [Fact]
    public void No_secret_value_appears_in_the_text_form_of_findings_or_redaction_results()
    {
        foreach (var sample in LabelledCorpus.Positives().Where(sample => sample.HasKnownSpan))
        {
            var result = _scanner.Redact(sample.Text);
            if (!result.HasFindings)
            {
                // A recall miss, counted by CorpusTests; there is nothing to render.
                continue;
            }

            Assert.All(result.Findings, finding => Assert.DoesNotContain(sample.Secret, finding.ToString(), StringComparison.Ordinal));
            Assert.DoesNotContain(sample.Secret, result.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_format_token_under_a_secret_looking_name_is_reported_as_its_format_not_as_a_generic_secret()
    {
        var finding = Assert.Single(_scanner.Scan("GITHUB_TOKEN=ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3z5A"));

        Assert.Equal((SecretKinds.GitHubToken, "github-token"), (finding.Kind, finding.DetectorId));
    }

    [Theory]
    [InlineData("aws_access_key_id = AKIAIOSFODNN7EXAMPLE")]
    [InlineData("GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx")]
    [InlineData("password: ${DB_PASSWORD}")]
    [InlineData("api_key = \"<your-api-key>\"")]
    [InlineData("DATABASE_URL=postgres://user:password@localhost/app")]
    [InlineData("client_secret = settings.CLIENT_SECRET")]
    [InlineData("Server=db;User Id=sa;Password={0};")]
    public void Documented_examples_placeholders_and_references_are_not_reported(string text)
    {
        Assert.Empty(_scanner.Scan(text));
    }
}
