using Cortex.CoreServer.Apis;
using Cortex.CoreServer.Notifications;
using Cortex.CoreServer.Sync.Mutations;

namespace Cortex.CoreServer.Tasks;

/// <summary>Tasks, notifications and their live hub (issue 6). The worker creates the notifications.</summary>
internal static class TasksAndNotificationsExtensions
{
    public static IServiceCollection AddCortexTasksAndNotifications(this IServiceCollection services)
    {
        services.AddSingleton<TaskStore>();
        services.AddSingleton<NotificationStore>();
        services.AddMutationHandler<UpdateTaskHandler>();
        services.AddMutationHandler<MarkNotificationReadHandler>();
        // The sync hub allows MessagePack only; the web speaks JSON.
        services.AddSignalR().AddHubOptions<NotificationsHub>(options => options.SupportedProtocols = ["json"]);
        services.AddHostedService<NotificationPusher>();
        return services;
    }

    public static WebApplication MapCortexTasksAndNotifications(this WebApplication app)
    {
        app.MapGroup("/api/v1").RequireAuthorization().MapTasksApi().MapNotificationsApi();
        app.MapHub<NotificationsHub>(NotificationsHub.Path);
        return app;
    }
}
