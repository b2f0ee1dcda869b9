using Cortex.Jobs;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Cortex.Worker.Notifications;

public static class NotificationsWorkerExtensions
{
    /// <summary>Notification fan-out from the change feed, and the review-due / due-soon reminders (<c>Cortex:Worker:Notifications</c>).</summary>
    public static IServiceCollection AddNotificationJobs(this IServiceCollection services)
    {
        services.AddOptions<NotificationOptions>().BindConfiguration(NotificationOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<NotificationOptions>, NotificationOptionsValidator>());
        services.TryAddSingleton<Recipients>();
        services.TryAddSingleton<NotificationWriter>();
        services.AddJobHandler<FanoutHandler>();
        services.AddJobHandler<RemindersHandler>();
        services.AddSingleton<FeedFanoutScanner>();
        services.AddHostedService(provider => provider.GetRequiredService<FeedFanoutScanner>());
        services.AddHostedService<RemindersScheduler>();
        return services;
    }
}
