using Microsoft.Extensions.Options;

namespace Cortex.Worker.Notifications;

/// <summary>Settings under <c>Cortex:Worker:Notifications</c>.</summary>
public sealed class NotificationOptions
{
    public const string SectionName = "Cortex:Worker:Notifications";

    /// <summary>How often the change feed is read for new events to fan out.</summary>
    public TimeSpan FeedPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often review-due and due-soon reminders are looked for.</summary>
    public TimeSpan ReminderInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>A draft pending longer than this reminds its reviewers, once.</summary>
    public TimeSpan ReviewDueAfter { get; set; } = TimeSpan.FromHours(24);

    /// <summary>An open task due within this reminds its assignee, once per due date.</summary>
    public TimeSpan DueSoonWithin { get; set; } = TimeSpan.FromHours(24);
}

internal sealed class NotificationOptionsValidator : IValidateOptions<NotificationOptions>
{
    public ValidateOptionsResult Validate(string? name, NotificationOptions options)
    {
        var failures = new List<string>();
        if (options.FeedPollInterval < TimeSpan.FromMilliseconds(10))
        {
            failures.Add($"{NotificationOptions.SectionName}:FeedPollInterval must be at least 00:00:00.010.");
        }

        if (options.ReminderInterval < TimeSpan.FromMilliseconds(10))
        {
            failures.Add($"{NotificationOptions.SectionName}:ReminderInterval must be at least 00:00:00.010.");
        }

        if (options.ReviewDueAfter <= TimeSpan.Zero)
        {
            failures.Add($"{NotificationOptions.SectionName}:ReviewDueAfter must be positive.");
        }

        if (options.DueSoonWithin < TimeSpan.Zero)
        {
            failures.Add($"{NotificationOptions.SectionName}:DueSoonWithin must not be negative.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
