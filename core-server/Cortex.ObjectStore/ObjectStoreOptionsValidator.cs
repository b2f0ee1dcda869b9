using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Cortex.ObjectStore;

/// <summary>Start-up checks of <see cref="ObjectStoreOptions"/>; each failure names the setting.</summary>
internal sealed partial class ObjectStoreOptionsValidator : IValidateOptions<ObjectStoreOptions>
{
    private const string Section = ObjectStoreOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, ObjectStoreOptions options)
    {
        var failures = new List<string>();
        if (options.MaxObjectBytes <= 0)
        {
            failures.Add($"{Section}:MaxObjectBytes must be positive (it is {options.MaxObjectBytes}).");
        }

        switch (options.Kind.ToLowerInvariant())
        {
            case ObjectStoreOptions.FileSystemKind:
                if (string.IsNullOrWhiteSpace(options.Root))
                {
                    failures.Add($"{Section}:Root must name a directory when {Section}:Kind is 'filesystem'.");
                }

                break;
            case ObjectStoreOptions.S3Kind:
                if (options.MaxObjectBytes > S3ObjectStore.MaxSinglePutBytes)
                {
                    failures.Add($"{Section}:MaxObjectBytes must be at most {S3ObjectStore.MaxSinglePutBytes} (5 GiB) " +
                        $"when {Section}:Kind is 's3'.");
                }

                ValidateS3(options.S3, failures);
                break;
            default:
                failures.Add($"{Section}:Kind must be 'filesystem' or 's3' (it is '{options.Kind}').");
                break;
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void ValidateS3(S3ObjectStoreOptions s3, List<string> failures)
    {
        if (string.IsNullOrWhiteSpace(s3.Endpoint))
        {
            failures.Add($"{Section}:S3:Endpoint must be set (host or host:port) when {Section}:Kind is 's3'.");
        }
        else if (s3.Endpoint.Contains("://", StringComparison.Ordinal))
        {
            failures.Add($"{Section}:S3:Endpoint is a host or host:port without a scheme; use {Section}:S3:UseTls.");
        }

        if (string.IsNullOrWhiteSpace(s3.AccessKey))
        {
            failures.Add($"{Section}:S3:AccessKey must be set when {Section}:Kind is 's3'.");
        }

        if (string.IsNullOrWhiteSpace(s3.SecretKey))
        {
            failures.Add($"{Section}:S3:SecretKey must be set when {Section}:Kind is 's3'.");
        }

        if (string.IsNullOrWhiteSpace(s3.Bucket) || !BucketName().IsMatch(s3.Bucket))
        {
            failures.Add($"{Section}:S3:Bucket must be a bucket name: 3 to 63 lower-case letters, digits, '.' or '-'.");
        }

        if (string.IsNullOrWhiteSpace(s3.Region))
        {
            failures.Add($"{Section}:S3:Region must not be empty.");
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")]
    private static partial Regex BucketName();
}
