using Cortex.CoreServer.Audit;
using Cortex.CoreServer.Auth;
using Cortex.CoreServer.Feed;

namespace Cortex.CoreServer.Database;

internal static class WriteSessionExtensions
{
    /// <summary>Records one mutation: its change-feed row and its audit event, both committed with the write.</summary>
    public static void Mutated(this WriteSession session, HttpContext context, string action, PendingChange change)
    {
        session.Record(change);
        session.Audit(new AuditEntry(action, AuditOutcome.Succeeded, context.Actor(), change.Entity, change.EntityId));
    }
}
