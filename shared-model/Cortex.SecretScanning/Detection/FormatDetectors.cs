using System.Buffers;

namespace Cortex.SecretScanning.Detection;

/// <summary>Credentials whose format gives them away: a vendor prefix, a fixed length, a PEM armour.</summary>
internal static class FormatDetectors
{
    public static IEnumerable<Detector> Create()
    {
        yield return Token(
            "aws-access-key-id", SecretKinds.AwsAccessKey, @"(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16}",
            ["AKIA", "ASIA", "ABIA", "ACCA", "A3T"], Boundaries.IsWord);
        yield return new Detector(
            "aws-secret-access-key", SecretKinds.AwsSecretKey, DetectorTier.Format,
            @"(?:aws[A-Za-z0-9_.-]{0,24}(?:secret|sk)[A-Za-z0-9_.-]{0,24}|secret_?access_?key)(?:[""']?[ \t]*(?::=|=>|[:=])[ \t]*[""']?|[ \t]+)(?<secret>[A-Za-z0-9/+]{40})",
            ["aws", "secretaccesskey", "secret_access_key"],
            candidate => Boundaries.NotFollowedBy(candidate, Base64Characters) && RandomEnough(3.5)(candidate), ignoreCase: true);
        yield return new Detector(
            "gcp-service-account-private-key", SecretKinds.GcpPrivateKey, DetectorTier.Format,
            @"""private_key""[ \t]*:[ \t]*""(?<secret>-----BEGIN[A-Z ]*PRIVATE KEY-----[A-Za-z0-9+/=\\\r\n ]+-----END[A-Z ]*PRIVATE KEY-----(?:\\n)?)""",
            ["private_key"], candidate => PemBodyLength(candidate.Value) >= 64);
        yield return Token(
            "gcp-api-key", SecretKinds.GcpApiKey, @"AIza[0-9A-Za-z_-]{35}", ["AIza"],
            candidate => Boundaries.StartsWord(candidate) && Boundaries.NotFollowedBy(candidate, Base64UrlCharacters));
        yield return new Detector(
            "azure-storage-account-key", SecretKinds.AzureStorageKey, DetectorTier.Format,
            @"(?:AccountKey[ \t]*=|(?:azure|storage)[A-Za-z0-9_.-]{0,30}key[""']?[ \t]*(?::=|=>|[:=])|--account-key[ \t=])[ \t]*[""']?(?<secret>[A-Za-z0-9+/]{86}==)",
            ["AccountKey", "azure", "storage", "account-key"], RandomEnough(4.0), ignoreCase: true);
        yield return new Detector(
            "azure-shared-access-key", SecretKinds.AzureSharedAccessKey, DetectorTier.Format,
            @"SharedAccessKey[ \t]*=[ \t]*(?<secret>[A-Za-z0-9+/]{43}=)",
            ["SharedAccessKey"], RandomEnough(3.5), ignoreCase: true);
        yield return new Detector(
            "azure-sas-signature", SecretKinds.AzureSasToken, DetectorTier.Format,
            @"[?&]sig=(?<secret>[A-Za-z0-9%+/=]{30,})",
            ["sig="], IsSasSignature);
        yield return Token(
            "github-token", SecretKinds.GitHubToken, @"gh[pousr]_[A-Za-z0-9]{36,}",
            ["ghp_", "gho_", "ghu_", "ghs_", "ghr_"], Boundaries.IsWord);
        yield return Token(
            "github-fine-grained-pat", SecretKinds.GitHubToken,
            @"github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}", ["github_pat_"], Boundaries.IsWord);
        yield return Token(
            "gitlab-token", SecretKinds.GitLabToken,
            @"(?:gl(?:pat|dt|rt|ptt|soat|ft|cbt|imt|oas|agent|ffct|wt)-|GR1348941)[0-9A-Za-z_-]{20,}(?:\.[0-9A-Za-z_-]+)*",
            ["glpat-", "gldt-", "glrt-", "glptt-", "glsoat-", "glft-", "glcbt-", "glimt-", "gloas-", "glagent-", "glffct-", "glwt-", "GR1348941"],
            Boundaries.StartsWord);
        yield return Token(
            "slack-token", SecretKinds.SlackToken,
            @"(?:xox[abposre](?:\.xox[bp])?|xapp)-[0-9A-Za-z-]{16,}", ["xox", "xapp-"], Boundaries.StartsWord);
        yield return Token(
            "slack-webhook-url", SecretKinds.SlackWebhook,
            @"https://hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9+/_-]{20,}", ["hooks.slack.com"],
            _ => true);
        yield return Token(
            "stripe-secret-key", SecretKinds.StripeKey, @"(?:sk|rk)_(?:live|test)_[0-9A-Za-z]{16,}",
            ["sk_live_", "sk_test_", "rk_live_", "rk_test_"], Boundaries.IsWord);
        yield return Token(
            "stripe-webhook-secret", SecretKinds.StripeKey, @"whsec_[0-9A-Za-z+/=]{32,}", ["whsec_"],
            Boundaries.StartsWord);
        yield return Token(
            "anthropic-api-key", SecretKinds.AnthropicApiKey,
            @"sk-ant-(?:api|admin|oat|ort|sid)[0-9]{2}-[A-Za-z0-9_-]{32,}", ["sk-ant-"], Boundaries.StartsWord);
        yield return Token(
            "openai-project-key", SecretKinds.OpenAiApiKey,
            @"sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{40,}", ["sk-proj-", "sk-svcacct-", "sk-admin-"],
            Boundaries.StartsWord);
        yield return new Detector(
            "openai-style-key", SecretKinds.OpenAiApiKey, DetectorTier.Format,
            @"sk-[A-Za-z0-9]{32,}", ["sk-"],
            candidate => Boundaries.IsWord(candidate) && RandomEnough(3.5)(candidate)
                         && ValueChecks.CharacterClasses(candidate.Value.AsSpan(3)) >= 2);
        yield return Token("npm-token", SecretKinds.NpmToken, @"npm_[A-Za-z0-9]{36}", ["npm_"], Boundaries.IsWord);
        yield return new Detector(
            "npmrc-auth-token", SecretKinds.NpmToken, DetectorTier.Format,
            @"_authToken[ \t]*=[ \t]*[""']?(?<secret>[A-Za-z0-9._~+/=-]{20,})",
            ["_authToken"], candidate => !ValueChecks.IsPlaceholder(candidate.Value) && RandomEnough(3.0)(candidate),
            ignoreCase: true);
        yield return new Detector(
            "pem-private-key", SecretKinds.PrivateKey, DetectorTier.Format,
            @"-----BEGIN[ A-Z0-9]*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?-----END[ A-Z0-9]*PRIVATE KEY(?: BLOCK)?-----",
            ["PRIVATE KEY"], candidate => PemBodyLength(candidate.Value) >= 64);
        yield return new Detector(
            "pem-private-key-unterminated", SecretKinds.PrivateKey, DetectorTier.Format,
            @"-----BEGIN[ A-Z0-9]*PRIVATE KEY(?: BLOCK)?-----(?:(?:\r\n|\n|\r|\\n)(?:[A-Za-z0-9+/=]{16,}|[A-Za-z-]+: [^\r\n\\]*))+",
            ["PRIVATE KEY"], candidate => PemBodyLength(candidate.Value) >= 64);
        yield return new Detector(
            "jwt", SecretKinds.Jwt, DetectorTier.Format,
            @"eyJ[A-Za-z0-9_-]{8,}\.ey[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*", ["eyJ"],
            candidate => Boundaries.StartsWord(candidate) && IsJwt(candidate));
    }

    private static readonly SearchValues<char> Base64Characters =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=");

    private static readonly SearchValues<char> Base64UrlCharacters =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    // A vendor token: its boundaries, and enough entropy that "ghp_xxxxxxxx…" placeholders are not reported.
    private static Detector Token(string id, string kind, string pattern, string[] keywords, Func<Candidate, bool> boundaries) =>
        new(id, kind, DetectorTier.Format, pattern, keywords, candidate => boundaries(candidate) && RandomEnough(3.0)(candidate));

    private static Func<Candidate, bool> RandomEnough(double minEntropy) => candidate =>
    {
        var value = candidate.Value;
        return !ValueChecks.IsDocumentedExample(value) && ValueChecks.Entropy(value) >= minEntropy;
    };

    // The base64 characters between the armour lines; a documentation stub ("...") has almost none.
    private static int PemBodyLength(string block)
    {
        var bodyStart = block.IndexOf("-----", 5, StringComparison.Ordinal) + 5;
        var bodyEnd = block.IndexOf("-----END", bodyStart, StringComparison.Ordinal);
        var body = block.AsSpan(bodyStart, (bodyEnd < 0 ? block.Length : bodyEnd) - bodyStart);
        var count = 0;
        foreach (var c in body)
        {
            if (char.IsAsciiLetterOrDigit(c) || c is '+' or '/')
            {
                count++;
            }
        }

        return count;
    }

    private static bool IsSasSignature(Candidate candidate)
    {
        var line = candidate.Line;
        return line.Contains("sv=", StringComparison.Ordinal)
            && (line.Contains("se=", StringComparison.Ordinal) || line.Contains("sp=", StringComparison.Ordinal))
            && ValueChecks.Entropy(candidate.Value) >= 3.5;
    }

    // A JWT's first segment is base64url JSON naming its algorithm; random "eyJ..." look-alikes are not.
    private static bool IsJwt(Candidate candidate)
    {
        var value = candidate.Value;
        if (ValueChecks.IsDocumentedExample(value))
        {
            return false;
        }

        var header = value[..value.IndexOf('.', StringComparison.Ordinal)];
        var padded = header.Replace('-', '+').Replace('_', '/');
        padded = padded.PadRight(padded.Length + ((4 - (padded.Length % 4)) % 4), '=');
        var bytes = new byte[padded.Length];
        if (!Convert.TryFromBase64String(padded, bytes, out var written))
        {
            return false;
        }

        var json = System.Text.Encoding.UTF8.GetString(bytes, 0, written);
        return json.Contains("\"alg\"", StringComparison.Ordinal) || json.Contains("\"typ\"", StringComparison.Ordinal);
    }
}
