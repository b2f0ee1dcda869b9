namespace Cortex.SecretScanning;

/// <summary>The kinds of secret the scanner reports; each names the marker that replaces it.</summary>
public static class SecretKinds
{
    public const string AwsAccessKey = "aws-access-key";
    public const string AwsSecretKey = "aws-secret-key";
    public const string GcpPrivateKey = "gcp-private-key";
    public const string GcpApiKey = "gcp-api-key";
    public const string AzureStorageKey = "azure-storage-key";
    public const string AzureSharedAccessKey = "azure-shared-access-key";
    public const string AzureSasToken = "azure-sas-token";
    public const string GitHubToken = "github-token";
    public const string GitLabToken = "gitlab-token";
    public const string SlackToken = "slack-token";
    public const string SlackWebhook = "slack-webhook";
    public const string StripeKey = "stripe-key";
    public const string OpenAiApiKey = "openai-api-key";
    public const string AnthropicApiKey = "anthropic-api-key";
    public const string NpmToken = "npm-token";
    public const string CortexApiKey = "cortex-api-key";
    public const string PrivateKey = "private-key";
    public const string Jwt = "jwt";
    public const string UrlPassword = "url-password";
    public const string ConnectionStringPassword = "connection-string-password";
    public const string BearerToken = "bearer-token";
    public const string BasicAuth = "basic-auth";
    public const string Password = "password";
    public const string GenericSecret = "generic-secret";

    public static IReadOnlyList<string> All { get; } =
    [
        AwsAccessKey, AwsSecretKey, GcpPrivateKey, GcpApiKey, AzureStorageKey, AzureSharedAccessKey, AzureSasToken,
        GitHubToken, GitLabToken, SlackToken, SlackWebhook, StripeKey, OpenAiApiKey, AnthropicApiKey, NpmToken, CortexApiKey,
        PrivateKey, Jwt, UrlPassword, ConnectionStringPassword, BearerToken, BasicAuth, Password, GenericSecret,
    ];
}
