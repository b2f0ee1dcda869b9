using Cortex.CoreServer.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace Cortex.CoreServer.Notifications;

/// <summary>
/// Live notifications for the web and other clients at <see cref="Path"/> (JSON protocol), authenticated by API key or
/// web session. Each connection joins its principal's group; <see cref="NotificationPusher"/> sends to that group, so with
/// the Redis backplane a notification reaches the principal's connections on every instance. Clients only listen.
/// </summary>
[Authorize]
internal sealed class NotificationsHub : Hub
{
    public const string Path = "/hubs/notifications";

    /// <summary>The client method receiving one <see cref="Notification"/> in its REST JSON shape.</summary>
    public const string NotificationEvent = "notification";

    public static string Group(string principalId) => "notifications:" + principalId;

    public override async Task OnConnectedAsync()
    {
        var principal = Context.GetHttpContext()?.Features.Get<AuthenticatedPrincipal>()?.Principal
            ?? throw new HubException("unauthenticated: send an API key as 'Authorization: Bearer <key>' or sign in");
        await Groups.AddToGroupAsync(Context.ConnectionId, Group(principal.Id), Context.ConnectionAborted);
        await base.OnConnectedAsync();
    }
}
