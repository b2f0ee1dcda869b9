using Microsoft.Extensions.Options;

namespace Cortex.Jobs;

/// <summary>Start-up checks of <see cref="JobRunnerOptions"/>; each failure names the setting.</summary>
internal sealed class JobRunnerOptionsValidator : IValidateOptions<JobRunnerOptions>
{
    private const string Section = JobRunnerOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, JobRunnerOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.WorkerId) || options.WorkerId.Length > 200)
        {
            failures.Add($"{Section}:WorkerId must be 1 to 200 characters.");
        }

        if (options.Concurrency is < 1 or > 256)
        {
            failures.Add($"{Section}:Concurrency must be between 1 and 256 (it is {options.Concurrency}).");
        }

        if (options.LeaseDuration < TimeSpan.FromSeconds(1))
        {
            failures.Add($"{Section}:LeaseDuration must be at least 00:00:01 (it is {options.LeaseDuration}).");
        }

        if (options.EffectiveHeartbeat <= TimeSpan.Zero || options.EffectiveHeartbeat >= options.LeaseDuration)
        {
            failures.Add($"{Section}:HeartbeatInterval must be positive and shorter than {Section}:LeaseDuration.");
        }

        if (options.PollInterval < TimeSpan.FromMilliseconds(50))
        {
            failures.Add($"{Section}:PollInterval must be at least 00:00:00.05 (it is {options.PollInterval}).");
        }

        if (options.RetryBaseDelay < TimeSpan.Zero || options.RetryMaxDelay < options.RetryBaseDelay)
        {
            failures.Add($"{Section}:RetryBaseDelay must not be negative nor above {Section}:RetryMaxDelay.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
