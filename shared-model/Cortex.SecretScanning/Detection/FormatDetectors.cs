using System.Buffers;

namespace Cortex.SecretScanning.Detection;

/// <summary>Credentials whose format gives them away: a vendor prefix, a fixed length, a PEM armour.</summary>
internal static class FormatDetectors
{
    // Patterns end in "*" and lengths are checked in code. Measured on .NET 10: a counted repetition such as {16,}
    // over characters that also make up the prefix ("xoxb-xoxb-…"), and even "AKIA[A-Z0-9]+" over a megabyte-long
    // run, took the non-backtracking engine a minute on its first pass, where "AKIA[A-Z0-9]*" takes milliseconds.
    public static IEnumerable<Detector> Create()
    {
        yield return Token(
            "aws-access-key-id", SecretKinds.AwsAccessKey, "(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]*",
            ["AKIA", "ASIA", "ABIA", "ACCA", "A3T"], All(Boundaries.IsWord, Length(20, 20)));
        yield return new RegexDetector(
            "aws-secret-access-key", SecretKinds.AwsSecretKey, DetectorTier.Format,
            @"(?:aws[A-Za-z0-9_.-]{0,24}(?:secret|sk)[A-Za-z0-9_.-]{0,24}|secret_?access_?key)(?:[""']?[ \t]*(?::=|=>|[:=])[ \t]*[""']?|[ \t]+)(?<secret>[A-Za-z0-9/+]*)",
            ["aws", "secretaccesskey", "secret_access_key"],
            All(Length(40, 40), candidate => Boundaries.NotFollowedBy(candidate, Base64Characters), RandomEnough(3.5)),
            ignoreCase: true);
        yield return new RegexDetector(
            "gcp-service-account-private-key", SecretKinds.GcpPrivateKey, DetectorTier.Format,
            @"""private_key""[ \t]*:[ \t]*""(?<secret>-----BEGIN[A-Z ]*PRIVATE KEY-----[A-Za-z0-9+/=\\\r\n ]*-----END[A-Z ]*PRIVATE KEY-----(?:\\n)?)""",
            ["private_key"], candidate => PemBodyLength(candidate.Value) >= 64);
        yield return Token(
            "gcp-api-key", SecretKinds.GcpApiKey, "AIza[0-9A-Za-z_-]*", ["AIza"], All(Boundaries.StartsWord, Length(39, 39)));
        yield return new RegexDetector(
            "azure-storage-account-key", SecretKinds.AzureStorageKey, DetectorTier.Format,
            @"(?:AccountKey[ \t]*=|(?:azure|storage)[A-Za-z0-9_.-]{0,30}key[""']?[ \t]*(?::=|=>|[:=])|--account-key[ \t=])[ \t]*[""']?(?<secret>[A-Za-z0-9+/]*==)",
            ["AccountKey", "azure", "storage", "account-key"], All(Length(88, 88), RandomEnough(4.0)), ignoreCase: true);
        yield return new RegexDetector(
            "azure-shared-access-key", SecretKinds.AzureSharedAccessKey, DetectorTier.Format,
            @"SharedAccessKey[ \t]*=[ \t]*(?<secret>[A-Za-z0-9+/]*=)",
            ["SharedAccessKey"], All(Length(44, 44), RandomEnough(3.5)), ignoreCase: true);
        yield return new RegexDetector(
            "azure-sas-signature", SecretKinds.AzureSasToken, DetectorTier.Format,
            "[?&]sig=(?<secret>[A-Za-z0-9%+/=]*)", ["sig="], All(Length(30), IsSasSignature));
        yield return Token(
            "github-token", SecretKinds.GitHubToken, "gh[pousr]_[A-Za-z0-9]*",
            ["ghp_", "gho_", "ghu_", "ghs_", "ghr_"], All(Boundaries.IsWord, Length(40)));
        yield return Token(
            "github-fine-grained-pat", SecretKinds.GitHubToken, "github_pat_[A-Za-z0-9_]*", ["github_pat_"],
            All(Boundaries.IsWord, Length(82)));
        yield return Token(
            "gitlab-token", SecretKinds.GitLabToken,
            @"(?:gl(?:pat|dt|rt|ptt|soat|ft|cbt|imt|oas|agent|ffct|wt)-|GR1348941)[0-9A-Za-z_-]*",
            ["glpat-", "gldt-", "glrt-", "glptt-", "glsoat-", "glft-", "glcbt-", "glimt-", "gloas-", "glagent-", "glffct-", "glwt-", "GR1348941"],
            All(Boundaries.StartsWord, Length(25)));
        yield return Token(
            "slack-token", SecretKinds.SlackToken, @"(?:xox[abposre](?:\.xox[bp])?|xapp)-[0-9A-Za-z-]*", ["xox", "xapp-"],
            All(Boundaries.StartsWord, Length(21)));
        yield return Token(
            "slack-webhook-url", SecretKinds.SlackWebhook,
            @"https://hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9+/_-]*", ["hooks.slack.com"], Length(50));
        yield return Token(
            "stripe-secret-key", SecretKinds.StripeKey, "(?:sk|rk)_(?:live|test)_[0-9A-Za-z]*",
            ["sk_live_", "sk_test_", "rk_live_", "rk_test_"], All(Boundaries.IsWord, Length(24)));
        yield return Token(
            "stripe-webhook-secret", SecretKinds.StripeKey, "whsec_[0-9A-Za-z+/=]*", ["whsec_"],
            All(Boundaries.StartsWord, Length(38)));
        yield return Token(
            "anthropic-api-key", SecretKinds.AnthropicApiKey, "sk-ant-(?:api|admin|oat|ort|sid)[0-9][0-9]-[A-Za-z0-9_-]*",
            ["sk-ant-"], All(Boundaries.StartsWord, Length(45)));
        yield return Token(
            "openai-project-key", SecretKinds.OpenAiApiKey, "sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]*",
            ["sk-proj-", "sk-svcacct-", "sk-admin-"], All(Boundaries.StartsWord, Length(48)));
        yield return new RegexDetector(
            "openai-style-key", SecretKinds.OpenAiApiKey, DetectorTier.Format, "sk-[A-Za-z0-9]*", ["sk-"],
            All(Boundaries.IsWord, Length(35), RandomEnough(3.5),
                candidate => ValueChecks.CharacterClasses(candidate.Value.AsSpan(3)) >= 2));
        yield return Token(
            "npm-token", SecretKinds.NpmToken, "npm_[A-Za-z0-9]*", ["npm_"], All(Boundaries.IsWord, Length(40, 40)));
        // Our own keys: ctx_<16 base32 chars of prefix>_<52 base32 chars of secret> (core-server Auth/ApiKeys.cs).
        yield return Token(
            "cortex-api-key", SecretKinds.CortexApiKey, "ctx_[a-z2-7]*_[a-z2-7]*", ["ctx_"], All(Boundaries.IsWord, Length(73, 73)));
        yield return new RegexDetector(
            "npmrc-auth-token", SecretKinds.NpmToken, DetectorTier.Format,
            @"_authToken[ \t]*=[ \t]*[""']?(?<secret>[A-Za-z0-9._~+/=-]*)", ["_authToken"],
            All(Length(20), candidate => !ValueChecks.IsPlaceholder(candidate.Value), RandomEnough(3.0)), ignoreCase: true);
        yield return new RegexDetector(
            "pem-private-key", SecretKinds.PrivateKey, DetectorTier.Format,
            @"-----BEGIN[ A-Z0-9]*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?-----END[ A-Z0-9]*PRIVATE KEY(?: BLOCK)?-----",
            ["PRIVATE KEY"], candidate => PemBodyLength(candidate.Value) >= 64);
        yield return new RegexDetector(
            "pem-private-key-unterminated", SecretKinds.PrivateKey, DetectorTier.Format,
            @"-----BEGIN[ A-Z0-9]*PRIVATE KEY(?: BLOCK)?-----(?:(?:\r\n|\n|\r|\\n)(?:[A-Za-z0-9+/=]+|[A-Za-z-]+: [^\r\n\\]*))+",
            ["PRIVATE KEY"], candidate => PemBodyLength(candidate.Value) >= 64);
        yield return new RegexDetector(
            "jwt", SecretKinds.Jwt, DetectorTier.Format, @"eyJ[A-Za-z0-9_-]*\.ey[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*", ["eyJ"],
            All(Boundaries.StartsWord, IsJwt));
    }

    private static Func<Candidate, bool> Length(int min, int max = int.MaxValue) =>
        candidate => candidate.Length >= min && candidate.Length <= max;

    private static Func<Candidate, bool> All(params Func<Candidate, bool>[] checks) =>
        candidate => checks.All(check => check(candidate));

    private static readonly SearchValues<char> Base64Characters =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=");

    private static readonly SearchValues<char> Base64UrlCharacters =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    // A vendor token: its shape, and enough entropy that "ghp_xxxxxxxx…" placeholders are not reported.
    private static RegexDetector Token(string id, string kind, string pattern, string[] keywords, Func<Candidate, bool> shape) =>
        new(id, kind, DetectorTier.Format, pattern, keywords, All(shape, RandomEnough(3.0)));

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
