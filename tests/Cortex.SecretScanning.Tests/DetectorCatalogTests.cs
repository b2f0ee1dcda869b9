using Cortex.SecretScanning.Detection;

namespace Cortex.SecretScanning.Tests;

public sealed class DetectorCatalogTests
{
    [Fact]
    public void Detector_ids_are_stable_and_every_kind_has_a_detector()
    {
        Assert.Equal(
            [
                "aws-access-key-id", "aws-secret-access-key", "gcp-service-account-private-key", "gcp-api-key",
                "azure-storage-account-key", "azure-shared-access-key", "azure-sas-signature", "github-token",
                "github-fine-grained-pat", "gitlab-token", "slack-token", "slack-webhook-url", "stripe-secret-key",
                "stripe-webhook-secret", "anthropic-api-key", "openai-project-key", "openai-style-key", "npm-token",
                "cortex-api-key", "npmrc-auth-token", "pem-private-key", "pem-private-key-unterminated", "jwt", "url-password",
                "connection-string-password", "authorization-bearer", "authorization-basic", "password-assignment",
                "secret-assignment",
            ],
            DetectorCatalog.All.Select(detector => detector.Id));
        Assert.Equal(
            SecretKinds.All.Order(StringComparer.Ordinal),
            DetectorCatalog.All.Select(detector => detector.Kind).Distinct().Order(StringComparer.Ordinal));
    }

    // Anchors plus a match timeout make the non-backtracking engine miss matches in long inputs (see Boundaries).
    [Fact]
    public void No_pattern_uses_an_anchor()
    {
        Assert.All(DetectorCatalog.All, detector => Assert.Empty(AnchorsOutsideClasses(detector.Pattern)));
    }

    private static List<string> AnchorsOutsideClasses(string pattern)
    {
        var anchors = new List<string>();
        var inClass = false;
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\')
            {
                var next = i + 1 < pattern.Length ? pattern[i + 1] : ' ';
                if (!inClass && next is 'b' or 'B' or 'A' or 'z' or 'Z' or 'G')
                {
                    anchors.Add($"\\{next} at {i}");
                }

                i++;
            }
            else if (inClass)
            {
                inClass = c != ']';
            }
            else if (c == '[')
            {
                inClass = true;
                i += pattern.AsSpan(i + 1).StartsWith("^") ? 1 : 0;
            }
            else if (c is '^' or '$')
            {
                anchors.Add($"{c} at {i}");
            }
        }

        return anchors;
    }
}
