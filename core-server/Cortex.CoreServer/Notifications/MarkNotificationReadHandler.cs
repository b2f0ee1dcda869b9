using Cortex.CoreServer.Errors;
using Cortex.CoreServer.Sync.Mutations;
using Cortex.SyncProtocol;

namespace Cortex.CoreServer.Notifications;

/// <summary>
/// The outbox mutation <c>notification.read</c>: the target is the notification id, the payload ignored. Marking a read
/// notification again is accepted and changes nothing; another principal's notification is not found.
/// </summary>
internal sealed class MarkNotificationReadHandler(NotificationStore notifications) : IMutationHandler
{
    public string Kind => MutationKinds.MarkNotificationRead;

    public async Task<MutationEffect> ApplyAsync(MutationContext context, CancellationToken cancellationToken)
    {
        var id = context.RequireTarget("notification id");
        var marked = await NotificationStore.MarkReadAsync(context.Session, context.Actor, context.Me.Id, [id], cancellationToken);
        if (marked.Count == 0 && await notifications.FindAsync(context.Me.Id, id, cancellationToken) is null)
        {
            throw CortexException.NotFound("The notification");
        }

        return MutationEffect.Wrote(id);
    }
}
