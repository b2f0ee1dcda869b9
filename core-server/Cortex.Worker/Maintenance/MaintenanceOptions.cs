using Microsoft.Extensions.Options;

namespace Cortex.Worker.Maintenance;

/// <summary>Settings under <c>Cortex:Worker:Maintenance</c>.</summary>
public sealed class MaintenanceOptions
{
    public const string SectionName = "Cortex:Worker:Maintenance";

    /// <summary>How long succeeded jobs are kept before <see cref="PurgeFinishedJobsHandler"/> deletes them.</summary>
    public TimeSpan SucceededRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How often the purge is scheduled.</summary>
    public TimeSpan PurgeInterval { get; set; } = TimeSpan.FromHours(1);
}

internal sealed class MaintenanceOptionsValidator : IValidateOptions<MaintenanceOptions>
{
    public ValidateOptionsResult Validate(string? name, MaintenanceOptions options)
    {
        var failures = new List<string>();
        if (options.SucceededRetention < TimeSpan.Zero)
        {
            failures.Add($"{MaintenanceOptions.SectionName}:SucceededRetention must not be negative.");
        }

        if (options.PurgeInterval < TimeSpan.FromSeconds(1))
        {
            failures.Add($"{MaintenanceOptions.SectionName}:PurgeInterval must be at least 00:00:01.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
