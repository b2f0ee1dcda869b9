using Cortex.CoreServer.Auth;
using Cortex.CoreServer.Database;
using Cortex.CoreServer.Errors;
using Cortex.CoreServer.Notifications;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cortex.CoreServer.Apis;

/// <summary>The caller's own notifications; nobody, admins included, reads another principal's.</summary>
internal static class NotificationsApi
{
    public static RouteGroupBuilder MapNotificationsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/notifications", ListNotifications);
        api.MapGet("/notifications/unread-count", CountUnread);
        api.MapPost("/notifications/{id}/read", MarkRead);
        api.MapPost("/notifications/read-all", MarkAllRead);
        return api;
    }

    private static async Task<Ok<Page<Notification>>> ListNotifications(
        HttpContext context, NotificationStore notifications, bool? unread, string? cursor, int? limit, CancellationToken cancellationToken)
    {
        var take = Paging.Limit(limit);
        var after = Paging.Decode(cursor) switch
        {
            null => ((bool, string)?)null,
            ['u', ':', .. var id] => (false, id),
            ['r', ':', .. var id] => (true, id),
            _ => throw CortexException.Invalid("cursor", "Not a cursor returned by this list."),
        };
        var rows = await notifications.ListAsync(context.Principal().Id, unread ?? false, after, take + 1, cancellationToken);
        return TypedResults.Ok(Paging.ToPage(rows, take, n => (n.ReadAt is null ? "u:" : "r:") + n.Id));
    }

    private static async Task<Ok<UnreadCount>> CountUnread(HttpContext context, NotificationStore notifications, CancellationToken cancellationToken) =>
        TypedResults.Ok(new UnreadCount(await notifications.CountUnreadAsync(context.Principal().Id, cancellationToken)));

    /// <summary>Idempotent: reading a read notification answers it unchanged.</summary>
    private static async Task<Ok<Notification>> MarkRead(
        HttpContext context, WriteSession session, NotificationStore notifications, string id, CancellationToken cancellationToken)
    {
        var me = context.Principal().Id;
        var marked = await NotificationStore.MarkReadAsync(session, context.Actor(), me, [id], cancellationToken);
        await session.CommitAsync(cancellationToken);
        return TypedResults.Ok(marked.SingleOrDefault()
            ?? await notifications.FindAsync(me, id, cancellationToken)
            ?? throw CortexException.NotFound("The notification"));
    }

    private static async Task<Ok<MarkedRead>> MarkAllRead(HttpContext context, WriteSession session, CancellationToken cancellationToken)
    {
        var marked = await NotificationStore.MarkReadAsync(session, context.Actor(), context.Principal().Id, null, cancellationToken);
        await session.CommitAsync(cancellationToken);
        return TypedResults.Ok(new MarkedRead(marked.Count));
    }
}

public sealed record UnreadCount(long Count);

public sealed record MarkedRead(int Marked);
