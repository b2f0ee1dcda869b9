namespace Cortex.SecretScanning.Detection;

/// <summary>Credentials whose format gives them away: a vendor prefix, a fixed length, a PEM armour.</summary>
internal static class FormatDetectors
{
    public static IEnumerable<Detector> Create()
    {
        yield return Token(
            "aws-access-key-id", SecretKinds.AwsAccessKey,
            @"\b(?<secret>(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16})\b",
            ["AKIA", "ASIA", "ABIA", "ACCA", "A3T"]);
        yield return new Detector(
            "aws-secret-access-key", SecretKinds.AwsSecretKey, DetectorTier.Format,
            @"(?:aws[A-Za-z0-9_.-]{0,24}(?:secret|sk)[A-Za-z0-9_.-]{0,24}|secret_?access_?key)(?:[""']?[ \t]*(?::=|=>|[:=])[ \t]*[""']?|[ \t]+)(?<secret>[A-Za-z0-9/+]{40})(?:[^A-Za-z0-9/+=]|$)",
            ["aws", "secretaccesskey", "secret_access_key"], RandomEnough(3.5), ignoreCase: true);
        yield return new Detector(
            "gcp-service-account-private-key", SecretKinds.GcpPrivateKey, DetectorTier.Format,
            @"""private_key""[ \t]*:[ \t]*""(?<secret>-----BEGIN[A-Z ]*PRIVATE KEY-----[A-Za-z0-9+/=\\\r\n ]+-----END[A-Z ]*PRIVATE KEY-----(?:\\n)?)""",
            ["private_key"], candidate => PemBodyLength(candidate.Value) >= 64);
        yield return Token(
            "gcp-api-key", SecretKinds.GcpApiKey, @"\b(?<secret>AIza[0-9A-Za-z_-]{35})(?:[^0-9A-Za-z_-]|$)", ["AIza"]);
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
            "github-token", SecretKinds.GitHubToken, @"\b(?<secret>gh[pousr]_[A-Za-z0-9]{36,})\b",
            ["ghp_", "gho_", "ghu_", "ghs_", "ghr_"]);
        yield return Token(
            "github-fine-grained-pat", SecretKinds.GitHubToken,
            @"\b(?<secret>github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59})\b", ["github_pat_"]);
        yield return Token(
            "gitlab-token", SecretKinds.GitLabToken,
            @"\b(?<secret>(?:gl(?:pat|dt|rt|ptt|soat|ft|cbt|imt|oas|agent|ffct|wt)-|GR1348941)[0-9A-Za-z_-]{20,}(?:\.[0-9A-Za-z_-]+)*)",
            ["glpat-", "gldt-", "glrt-", "glptt-", "glsoat-", "glft-", "glcbt-", "glimt-", "gloas-", "glagent-", "glffct-", "glwt-", "GR1348941"]);
        yield return Token(
            "slack-token", SecretKinds.SlackToken,
            @"\b(?<secret>(?:xox[abposre](?:\.xox[bp])?|xapp)-[0-9A-Za-z-]{16,})", ["xox", "xapp-"]);
        yield return Token(
            "slack-webhook-url", SecretKinds.SlackWebhook,
            @"(?<secret>https://hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9+/_-]{20,})", ["hooks.slack.com"]);
        yield return Token(
            "stripe-secret-key", SecretKinds.StripeKey, @"\b(?<secret>(?:sk|rk)_(?:live|test)_[0-9A-Za-z]{16,})\b",
            ["sk_live_", "sk_test_", "rk_live_", "rk_test_"]);
        yield return Token(
            "stripe-webhook-secret", SecretKinds.StripeKey, @"\b(?<secret>whsec_[0-9A-Za-z+/=]{32,})", ["whsec_"]);
        yield return Token(
            "anthropic-api-key", SecretKinds.AnthropicApiKey,
            @"\b(?<secret>sk-ant-(?:api|admin|oat|ort|sid)[0-9]{2}-[A-Za-z0-9_-]{32,})", ["sk-ant-"]);
        yield return Token(
            "openai-project-key", SecretKinds.OpenAiApiKey,
            @"\b(?<secret>sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{40,})", ["sk-proj-", "sk-svcacct-", "sk-admin-"]);
        yield return new Detector(
            "openai-style-key", SecretKinds.OpenAiApiKey, DetectorTier.Format,
            @"\b(?<secret>sk-[A-Za-z0-9]{32,})\b", ["sk-"],
            candidate => RandomEnough(3.5)(candidate) && ValueChecks.CharacterClasses(candidate.Value.AsSpan(3)) >= 2);
        yield return Token("npm-token", SecretKinds.NpmToken, @"\b(?<secret>npm_[A-Za-z0-9]{36})\b", ["npm_"]);
        yield return new Detector(
            "npmrc-auth-token", SecretKinds.NpmToken, DetectorTier.Format,
            @"_authToken[ \t]*=[ \t]*[""']?(?<secret>[A-Za-z0-9._~+/=-]{20,})",
            ["_authToken"], candidate => !ValueChecks.IsPlaceholder(candidate.Value) && RandomEnough(3.0)(candidate),
            ignoreCase: true);
        yield return new Detector(
            "pem-private-key", SecretKinds.PrivateKey, DetectorTier.Format,
            @"(?<secret>-----BEGIN[ A-Z0-9]*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?-----END[ A-Z0-9]*PRIVATE KEY(?: BLOCK)?-----)",
            ["PRIVATE KEY"], candidate => PemBodyLength(candidate.Value) >= 64);
        yield return new Detector(
            "pem-private-key-unterminated", SecretKinds.PrivateKey, DetectorTier.Format,
            @"(?<secret>-----BEGIN[ A-Z0-9]*PRIVATE KEY(?: BLOCK)?-----(?:(?:\r\n|\n|\r|\\n)(?:[A-Za-z0-9+/=]{16,}|[A-Za-z-]+: [^\r\n\\]*))+)",
            ["PRIVATE KEY"], candidate => PemBodyLength(candidate.Value) >= 64);
        yield return new Detector(
            "jwt", SecretKinds.Jwt, DetectorTier.Format,
            @"\b(?<secret>eyJ[A-Za-z0-9_-]{8,}\.ey[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*)", ["eyJ"], IsJwt);
    }

    private static Detector Token(string id, string kind, string pattern, string[] keywords) =>
        new(id, kind, DetectorTier.Format, pattern, keywords, RandomEnough(3.0));

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
