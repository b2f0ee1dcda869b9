using System.Text.Json;
using Cortex.CoreServer.Audit;
using Cortex.CoreServer.Database;
using Cortex.CoreServer.Errors;
using Cortex.CoreServer.Feed;
using Cortex.SharedModel.Authorization;
using Cortex.SharedModel.Principals;
using Cortex.SyncProtocol;

namespace Cortex.CoreServer.Sync.Mutations;

/// <summary>One uploaded mutation being applied: who sent it, and the open transaction its effects go into.</summary>
internal sealed class MutationContext(WriteSession session, Principal me, Actor actor, OutboxMutation mutation, JsonSerializerOptions json)
{
    public WriteSession Session { get; } = session;

    public Principal Me { get; } = me;

    public Actor Actor { get; } = actor;

    public OutboxMutation Mutation { get; } = mutation;

    /// <summary>The mutation's target (a slug or an id), or a validation rejection naming what it should be.</summary>
    public string RequireTarget(string description) =>
        Mutation.TargetId is { Length: > 0 } target ? target : throw CortexException.Invalid("targetId", $"The {description} is required.");

    /// <exception cref="JsonException">The payload is not JSON of the expected shape (recorded as a validation rejection).</exception>
    public T Parse<T>() =>
        JsonSerializer.Deserialize<T>(Mutation.Payload, json)
        ?? throw CortexException.Invalid("payload", "The payload must be a JSON object.");

    /// <summary>The matrix check of <c>Access.Demand</c>, without its 403 wording about HTTP.</summary>
    public void Demand(CortexAction action, Resource resource)
    {
        if (!Permissions.May(Me, action, resource))
        {
            throw CortexException.Forbidden($"The {Me.Role.ToString().ToLowerInvariant()} role may not {action} here.");
        }
    }

    /// <summary>Appends the change to the feed and audits it, both in the mutation's transaction.</summary>
    public void Record(string action, PendingChange change)
    {
        Session.Record(change);
        Session.Audit(new AuditEntry(action, AuditOutcome.Succeeded, Actor, change.Entity, change.EntityId));
    }
}
