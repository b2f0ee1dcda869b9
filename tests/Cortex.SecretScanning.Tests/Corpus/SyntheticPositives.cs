using System.Text;

namespace Cortex.SecretScanning.Tests.Corpus;

/// <summary>
/// Seeded positives for every kind: a value in the vendor's published format, set in a context of the kind it is
/// found in (env files, YAML, JSON, code, logs, prose, shell commands).
/// </summary>
public sealed class SyntheticPositives(int seed)
{
    private const string PasswordSymbols = "!%^*_+-=~.&";
    private const char SecretStart = '\u0001';
    private const char SecretEnd = '\u0002';

    private static readonly string[] NeutralContexts =
    [
        "export {NAME}={v}",
        "{NAME}: {v}",
        "  \"{name}\": \"{v}\",",
        "{name} = \"{v}\"",
        "I rotated it this morning, the new one is {v} (old one revoked)",
        "2026-03-14T09:21:07Z WARN upstream rejected credential {v} status=401",
        "curl -s -H 'X-Api-Key: {v}' https://api.internal.test/v1/items",
        "| staging | `{v}` | expires 2026-09 |",
        "const client = new Client(\"{v}\");",
        "{v}",
        "\t{v}\r",
    ];

    private readonly RandomText _r = new(seed);

    public IEnumerable<CorpusSample> Generate(int perKind)
    {
        var formats = Formats();
        foreach (var (kind, names, contexts, valueFactory) in formats)
        {
            for (var i = 0; i < perKind; i++)
            {
                var context = _r.Pick(contexts);
                var name = _r.Pick(names);
                var text = context.Replace("{NAME}", name.ToUpperInvariant(), StringComparison.Ordinal)
                    .Replace("{name}", name, StringComparison.Ordinal)
                    .Replace("{acct}", _r.Word() + _r.Chars(RandomText.Digits, 3), StringComparison.Ordinal)
                    .Replace("{host}", _r.Host(), StringComparison.Ordinal);
                var (value, secretStart, secretLength) = Delimit(valueFactory());
                var at = text.IndexOf("{v}", StringComparison.Ordinal);
                yield return new CorpusSample(
                    $"synthetic:{kind}#{i}", text[..at] + value + text[(at + 3)..], kind, at + secretStart, secretLength);
            }
        }
    }

    private List<(string Kind, string[] Names, string[] Contexts, Func<string> Value)> Formats() =>
    [
        (SecretKinds.AwsAccessKey, ["aws_access_key_id", "AccessKeyId", "key_id"], NeutralContexts,
            () => _r.Pick(["AKIA", "ASIA"]) + _r.Chars(RandomText.UpperAlnum, 16)),
        (SecretKinds.AwsSecretKey, ["aws_secret_access_key", "AWS_SECRET_KEY", "SecretAccessKey", "awsSecretKey"],
            ["export {NAME}={v}", "{name} = {v}", "  \"{name}\": \"{v}\",", "{name}: '{v}'", "  {name} = \"{v}\"",
             "[default]\naws_secret_access_key = {v}"],
            () => _r.Chars(RandomText.Base64, 40)),
        (SecretKinds.GcpPrivateKey, ["private_key"], ["  \"private_key\": \"{v}\",", "{\"type\": \"service_account\", \"private_key\": \"{v}\"}"],
            () => "-----BEGIN PRIVATE KEY-----\\n" + string.Join("\\n", Wrap(_r.Base64Of(_r.Next(600, 1200)), 64))
                  + "\\n-----END PRIVATE KEY-----\\n"),
        (SecretKinds.GcpApiKey, ["GOOGLE_API_KEY", "maps_key", "firebase_web_key"], NeutralContexts,
            () => "AIza" + _r.Chars(RandomText.Base64Url, 35)),
        (SecretKinds.AzureStorageKey, ["AccountKey"],
            ["DefaultEndpointsProtocol=https;AccountName={acct};AccountKey={v};EndpointSuffix=core.windows.net",
             "AZURE_STORAGE_KEY={v}", "  \"storageAccountKey\": \"{v}\"",
             "\"ConnectionStrings\": { \"Blob\": \"DefaultEndpointsProtocol=https;AccountName={acct};AccountKey={v}\" }"],
            () => _r.Base64Of(64)),
        (SecretKinds.AzureSharedAccessKey, ["SharedAccessKey"],
            ["Endpoint=sb://{acct}.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey={v}",
             "HostName={acct}.azure-devices.net;DeviceId=sensor-7;SharedAccessKey={v}"],
            () => _r.Base64Of(32)),
        (SecretKinds.AzureSasToken, ["sig"],
            ["https://{acct}.blob.core.windows.net/backups/db.bak?sv=2022-11-02&ss=b&srt=co&sp=rl&se=2026-12-31T23:59:59Z&st=2026-01-01T00:00:00Z&spr=https&sig={v}",
             "AZURE_SAS_URL=\"https://{acct}.blob.core.windows.net/logs?sp=racwdl&st=2026-02-01T10:00:00Z&se=2026-02-02T10:00:00Z&sv=2022-11-02&sr=c&sig={v}\""],
            () => Uri.EscapeDataString(_r.Base64Of(32))),
        (SecretKinds.GitHubToken, ["GITHUB_TOKEN", "GH_TOKEN", "github_pat"], NeutralContexts,
            () => _r.Chance(0.3)
                ? "github_pat_" + _r.Chars(RandomText.Alnum, 22) + "_" + _r.Chars(RandomText.Alnum, 59)
                : _r.Pick(["ghp_", "gho_", "ghu_", "ghs_", "ghr_"]) + _r.Chars(RandomText.Alnum, 36)),
        (SecretKinds.GitLabToken, ["GITLAB_TOKEN", "CI_JOB_TOKEN_OVERRIDE", "private_token"], NeutralContexts,
            () => _r.Pick(["glpat-", "gldt-", "glrt-", "glpat-"]) + _r.Chars(RandomText.Base64Url, 20)),
        (SecretKinds.SlackToken, ["SLACK_BOT_TOKEN", "slack_token"], NeutralContexts, SlackToken),
        (SecretKinds.SlackWebhook, ["SLACK_WEBHOOK_URL", "webhook"], NeutralContexts,
            () => $"https://hooks.slack.com/services/T{_r.Chars(RandomText.UpperAlnum, 8)}/B{_r.Chars(RandomText.UpperAlnum, 10)}/{_r.Chars(RandomText.Alnum, 24)}"),
        (SecretKinds.StripeKey, ["STRIPE_SECRET_KEY", "stripe_key"], NeutralContexts,
            () => _r.Chance(0.2)
                ? "whsec_" + _r.Chars(RandomText.Alnum, 32)
                : _r.Pick(["sk_live_", "sk_test_", "rk_live_"]) + _r.Chars(RandomText.Alnum, _r.Pick([24, 99]))),
        (SecretKinds.OpenAiApiKey, ["OPENAI_API_KEY", "openai_key"], NeutralContexts,
            () => _r.Next(0, 3) switch
            {
                0 => "sk-proj-" + _r.Chars(RandomText.Base64Url, 156),
                1 => "sk-" + _r.Chars(RandomText.Alnum, 20) + "T3BlbkFJ" + _r.Chars(RandomText.Alnum, 20),
                _ => "sk-svcacct-" + _r.Chars(RandomText.Base64Url, 120),
            }),
        (SecretKinds.AnthropicApiKey, ["ANTHROPIC_API_KEY", "claude_key"], NeutralContexts,
            () => "sk-ant-api03-" + _r.Chars(RandomText.Base64Url, 93) + "AA"),
        (SecretKinds.NpmToken, ["NPM_TOKEN", "npm_auth"], [.. NeutralContexts, "//registry.npmjs.org/:_authToken={v}"],
            () => "npm_" + _r.Chars(RandomText.Alnum, 36)),
        (SecretKinds.CortexApiKey, ["CORTEX_KEY", "cortex_api_key"], [.. NeutralContexts, "Authorization: Bearer {v}"],
            () => "ctx_" + _r.Chars(RandomText.Lower + "234567", 16) + "_" + _r.Chars(RandomText.Lower + "234567", 52)),
        (SecretKinds.PrivateKey, ["key"],
            ["{v}", "Here is the deploy key:\n\n{v}\n\nDo not share it.", "ssh_key: |\n  {v}", "cat > id_ed25519 <<'EOF'\n{v}\nEOF"],
            PemBlock),
        (SecretKinds.Jwt, ["id_token", "session"],
            [.. NeutralContexts, "Authorization: Bearer {v}", "Set-Cookie: session={v}; Path=/; HttpOnly"], Jwt),
        (SecretKinds.UrlPassword, ["DATABASE_URL", "broker_url", "redis"],
            ["{NAME}={v}", "{name}: \"{v}\"", "psql '{v}' -c 'select 1'", "connecting to {v} failed: timeout", "git clone {v}"],
            UrlWithPassword),
        (SecretKinds.ConnectionStringPassword, ["Password", "Pwd"],
            ["Server=tcp:{host},1433;Initial Catalog=orders;User ID=app;{name}={v};Encrypt=True;",
             "\"Default\": \"Host={host};Port=5432;Database=ledger;Username=svc;{name}={v}\"",
             "Data Source={host};Initial Catalog=billing;User Id=sa;{name}={v};TrustServerCertificate=true",
             "DRIVER={ODBC Driver 18 for SQL Server};SERVER={host};UID=report;{name}={v};"],
            () => Password(excluded: ";\"'")),
        (SecretKinds.BearerToken, ["Authorization"],
            ["Authorization: Bearer {v}", "curl -H \"Authorization: Bearer {v}\" https://api.internal.test/me",
             "headers = {\"Authorization\": \"Bearer {v}\"}", "> GET /v2/items HTTP/1.1\n> Authorization: bearer {v}"],
            () => _r.Chars(RandomText.Alnum, 24, 48)),
        (SecretKinds.BasicAuth, ["Authorization"],
            ["Authorization: Basic {v}", "curl -H 'Authorization: Basic {v}' https://registry.internal.test/v2/",
             "\"authorization\": \"Basic {v}\""],
            () => Convert.ToBase64String(Encoding.UTF8.GetBytes($"{_r.Word()}:{Password(excluded: "")}"))),
        (SecretKinds.Password, ["DB_PASSWORD", "password", "MYSQL_ROOT_PASSWORD", "spring.datasource.password", "smtp_pass", "adminPassword"],
            ["{NAME}={v}", "export {NAME}='{v}'", "{name}: \"{v}\"", "{name}: {v}", "  \"{name}\": \"{v}\",", "{name} = \"{v}\"",
             "--{name}={v}", "docker run -e {NAME}={v} postgres:16"],
            () => Password(excluded: "")),
        (SecretKinds.GenericSecret, ["API_KEY", "client_secret", "SECRET_KEY", "auth_token", "access_token", "DD_API_KEY",
                "SENTRY_AUTH_TOKEN", "signing_key", "encryption_key", "webhook_secret", "APP_SECRET", "refresh_token", "apiKey"],
            ["{NAME}={v}", "export {NAME}=\"{v}\"", "{name}: {v}", "  \"{name}\": \"{v}\",", "{name} = '{v}'",
             "const {name} = \"{v}\";", "--{name} {v}", "os.getenv(\"{NAME}\", \"{v}\")", "{name} := \"{v}\""],
            GenericValue),
    ];

    // A value is all secret unless it marks the secret part with SecretStart and SecretEnd, as a URL around its password does.
    private static (string Value, int SecretStart, int SecretLength) Delimit(string value)
    {
        var start = value.IndexOf(SecretStart, StringComparison.Ordinal);
        if (start < 0)
        {
            return (value, 0, value.Length);
        }

        var end = value.IndexOf(SecretEnd, StringComparison.Ordinal);
        return (value.Remove(end, 1).Remove(start, 1), start, end - start - 1);
    }

    private string SlackToken() => _r.Next(0, 3) switch
    {
        0 => $"xoxb-{_r.Chars(RandomText.Digits, 12)}-{_r.Chars(RandomText.Digits, 13)}-{_r.Chars(RandomText.Alnum, 24)}",
        1 => $"xoxp-{_r.Chars(RandomText.Digits, 12)}-{_r.Chars(RandomText.Digits, 12)}-{_r.Chars(RandomText.Digits, 13)}-{_r.Chars(RandomText.Hex, 32)}",
        _ => $"xapp-1-A{_r.Chars(RandomText.UpperAlnum, 10)}-{_r.Chars(RandomText.Digits, 13)}-{_r.Chars(RandomText.Hex, 64)}",
    };

    private string PemBlock()
    {
        var newline = _r.Chance(0.3) ? "\r\n" : "\n";
        var (label, bytes) = _r.Pick<(string, int)>(
            [("RSA PRIVATE KEY", 1190), ("EC PRIVATE KEY", 121), ("OPENSSH PRIVATE KEY", 400), ("PRIVATE KEY", 1218),
             ("ENCRYPTED PRIVATE KEY", 1300), ("PGP PRIVATE KEY BLOCK", 900), ("DSA PRIVATE KEY", 440)]);
        var body = string.Join(newline, Wrap(_r.Base64Of(bytes), label.StartsWith("OPENSSH", StringComparison.Ordinal) ? 70 : 64));
        var headers = label switch
        {
            "PGP PRIVATE KEY BLOCK" => $"Version: GnuPG v2{newline}{newline}",
            "RSA PRIVATE KEY" when _r.Chance(0.3) =>
                $"Proc-Type: 4,ENCRYPTED{newline}DEK-Info: AES-128-CBC,{_r.Chars(RandomText.Hex, 32).ToUpperInvariant()}{newline}{newline}",
            _ => string.Empty,
        };
        var checksum = label.StartsWith("PGP", StringComparison.Ordinal) ? $"{newline}={_r.Chars(RandomText.Base64, 4)}" : string.Empty;
        return $"-----BEGIN {label}-----{newline}{headers}{body}{checksum}{newline}-----END {label}-----";
    }

    private string Jwt()
    {
        var header = _r.Pick(["{\"alg\":\"HS256\",\"typ\":\"JWT\"}", "{\"alg\":\"RS256\",\"kid\":\"" + _r.Chars(RandomText.Hex, 8) + "\",\"typ\":\"JWT\"}",
            "{\"typ\":\"JWT\",\"alg\":\"ES256\"}"]);
        var payload = $"{{\"sub\":\"{_r.Chars(RandomText.Digits, 8)}\",\"name\":\"{_r.Word()}\",\"iat\":{_r.Next(1_600_000_000, 1_800_000_000)},\"jti\":\"{_r.Uuid()}\"}}";
        var signature = _r.Bytes(header.Contains("RS256", StringComparison.Ordinal) ? 256 : 32);
        return $"{_r.Base64UrlOf(Encoding.UTF8.GetBytes(header))}.{_r.Base64UrlOf(Encoding.UTF8.GetBytes(payload))}.{_r.Base64UrlOf(signature)}";
    }

    private string UrlWithPassword()
    {
        var scheme = _r.Pick(["postgres", "postgresql", "mysql", "mongodb+srv", "redis", "amqp", "https", "ftp", "smtp"]);
        var user = _r.Pick(["app", "svc_reports", "admin", "deploy", ""]);
        var password = Password(excluded: "@/?#:");
        return $"{scheme}://{user}:{SecretStart}{Uri.EscapeDataString(password)}{SecretEnd}@{_r.Host()}:{_r.Next(1000, 9999)}/{_r.Word()}";
    }

    private string Password(string excluded)
    {
        var alphabet = new string([.. (RandomText.Alnum + PasswordSymbols).Where(c => !excluded.Contains(c, StringComparison.Ordinal))]);
        return _r.Next(0, 3) switch
        {
            0 => char.ToUpperInvariant(_r.Word()[0]) + _r.Word()[1..] + _r.Chars(RandomText.Digits, 2, 4) + _r.Pick(["!", "#", "*", ".", ""]),
            _ => _r.Chars(alphabet, 10, 24),
        };
    }

    private string GenericValue() => _r.Next(0, 4) switch
    {
        0 => _r.Chars(RandomText.Hex, _r.Pick([32, 40, 64])),
        1 => _r.Chars(RandomText.Alnum, 20, 48),
        2 => _r.Base64Of(_r.Next(24, 48)),
        _ => _r.Uuid(),
    };

    private static IEnumerable<string> Wrap(string text, int width)
    {
        for (var i = 0; i < text.Length; i += width)
        {
            yield return text.Substring(i, Math.Min(width, text.Length - i));
        }
    }
}
