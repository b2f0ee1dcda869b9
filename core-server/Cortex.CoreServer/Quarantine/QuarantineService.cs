using Cortex.CoreServer.Audit;
using Cortex.CoreServer.Auth;
using Cortex.CoreServer.Database;
using Cortex.CoreServer.Errors;
using Cortex.CoreServer.Feed;
using Cortex.SharedModel.Authorization;
using Cortex.SharedModel.Feed;
using Cortex.SharedModel.Ids;
using Cortex.SharedModel.Principals;
using Cortex.SharedModel.Validation;
using Dapper;
using Npgsql;

namespace Cortex.CoreServer.Quarantine;

/// <summary>
/// Quarantines and lifts. Each is one transaction with its audit event and a feed row: quarantine feeds the item as
/// deleted (replicas drop it, in cursor order, and a lost connection cannot lose the instruction), lifting feeds it
/// as updated (replicas receive its current state again). Search and the feed reader skip active quarantines.
/// </summary>
internal sealed class QuarantineService(NpgsqlDataSource dataSource)
{
    public const int MaxReasonLength = 2_000;

    private const string Columns =
        "id, entity, entity_id, subcortex_id, reason, quarantined_by, quarantined_at, lifted_by, lifted_at, lift_reason";

    public async Task<QuarantineRecord> QuarantineAsync(
        HttpContext context, WriteSession session, QuarantineRequest request, CancellationToken cancellationToken = default)
    {
        var me = context.Principal();
        me.Demand(CortexAction.QuarantineContent, Resource.System);
        var errors = new ValidationErrors();
        if (request.Entity is null || !QuarantineTargets.Entities.Contains(request.Entity))
        {
            errors.Add("entity", $"Must be one of: {string.Join(", ", QuarantineTargets.Entities)}.");
        }

        if (!Rules.IsText(request.Reason, MaxReasonLength))
        {
            errors.Add("reason", $"Required: why the item is hidden, at most {MaxReasonLength} characters.");
        }

        if (string.IsNullOrWhiteSpace(request.EntityId) || request.EntityId.Length > 100)
        {
            errors.Add("entityId", "Required: the id of the item.");
        }

        if (!errors.IsValid)
        {
            throw CortexException.Invalid(errors.ToDictionary());
        }

        var entity = request.Entity!;
        await session.BeginAsync(cancellationToken);
        var target = await FindAsync(session, me, entity, request.EntityId!, cancellationToken);
        me.Demand(CortexAction.QuarantineContent, Resource.Content(QuarantineTargets.ResourceKind(entity), null, target.IsPrivate, target.AskerIsMember));
        var record = await session.Connection.QuerySingleOrDefaultAsync<QuarantineRecord>(new CommandDefinition(
            $"""
            INSERT INTO quarantines (id, entity, entity_id, subcortex_id, reason, quarantined_by)
            VALUES (@id, @entity, @entityId, @subcortexId, @reason, @me)
            ON CONFLICT (entity, entity_id) WHERE lifted_at IS NULL DO NOTHING
            RETURNING {Columns}
            """,
            new { id = CortexId.New(), entity, entityId = request.EntityId, subcortexId = target.SubcortexId, reason = request.Reason, me = me.Id },
            session.Transaction,
            cancellationToken: cancellationToken))
            ?? throw CortexException.Conflict($"The {entity} {request.EntityId} is already quarantined.");
        session.Record(new PendingChange(entity, request.EntityId!, ChangeOperation.Deleted, target.Version, SubcortexId: target.SubcortexId));
        session.Audit(new AuditEntry("quarantine.create", AuditOutcome.Succeeded, context.Actor(), entity, request.EntityId, "reason=" + request.Reason));
        await session.CommitAsync(cancellationToken);
        return record;
    }

    public async Task<QuarantineRecord> LiftAsync(
        HttpContext context, WriteSession session, string id, LiftQuarantineRequest request, CancellationToken cancellationToken = default)
    {
        var me = context.Principal();
        me.Demand(CortexAction.QuarantineContent, Resource.System);
        if (request.Reason is not null && !Rules.IsText(request.Reason, MaxReasonLength))
        {
            throw CortexException.Invalid("reason", $"At most {MaxReasonLength} characters.");
        }

        await session.BeginAsync(cancellationToken);
        var current = await session.Connection.QuerySingleOrDefaultAsync<QuarantineRecord>(new CommandDefinition(
            $"SELECT {Columns} FROM quarantines WHERE id = @id FOR UPDATE", new { id }, session.Transaction, cancellationToken: cancellationToken))
            ?? throw CortexException.NotFound("The quarantine");
        var target = await FindAsync(session, me, current.Entity, current.EntityId, cancellationToken);
        me.Demand(CortexAction.QuarantineContent, Resource.Content(QuarantineTargets.ResourceKind(current.Entity), null, target.IsPrivate, target.AskerIsMember));
        if (!current.Active)
        {
            await session.CommitAsync(cancellationToken);
            return current;
        }

        var lifted = await session.Connection.QuerySingleAsync<QuarantineRecord>(new CommandDefinition(
            $"UPDATE quarantines SET lifted_by = @me, lifted_at = now(), lift_reason = @reason WHERE id = @id RETURNING {Columns}",
            new { id, me = me.Id, reason = request.Reason },
            session.Transaction,
            cancellationToken: cancellationToken));
        session.Record(new PendingChange(current.Entity, current.EntityId, ChangeOperation.Updated, target.Version, SubcortexId: target.SubcortexId));
        session.Audit(new AuditEntry("quarantine.lift", AuditOutcome.Succeeded, context.Actor(), current.Entity, current.EntityId,
            request.Reason is null ? null : "reason=" + request.Reason));
        await session.CommitAsync(cancellationToken);
        return lifted;
    }

    /// <summary>Newest first; <paramref name="activeOnly"/> leaves lifted quarantines out. Private subcortexes only for their readers.</summary>
    public async Task<List<QuarantineRecord>> ListAsync(
        Principal reader, bool activeOnly, string? before, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<QuarantineRecord>(new CommandDefinition(
            $"""
            SELECT {Columns} FROM quarantines q
            WHERE (NOT @activeOnly OR q.lifted_at IS NULL)
              AND (@before::text IS NULL OR q.id < @before)
              AND (@isAdmin OR EXISTS (SELECT 1 FROM subcortexes s WHERE s.id = q.subcortex_id AND (NOT s.is_private
                   OR EXISTS (SELECT 1 FROM subcortex_members m WHERE m.subcortex_id = s.id AND m.principal_id = @me))))
            ORDER BY q.id DESC
            LIMIT @limit
            """,
            new { activeOnly, before, limit, me = reader.Id, isAdmin = reader.Role == Role.Admin },
            cancellationToken: cancellationToken));
        return rows.AsList();
    }

    private static async Task<QuarantineTargets.Target> FindAsync(
        WriteSession session, Principal me, string entity, string entityId, CancellationToken cancellationToken)
    {
        string? artifactId = null;
        var number = 0;
        if (entity == EntityNames.ArtifactVersion)
        {
            var colon = entityId.LastIndexOf(':');
            if (colon <= 0 || !int.TryParse(entityId.AsSpan(colon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out number))
            {
                throw CortexException.Invalid("entityId", "An artifact version's id is '{artifactId}:{number}'.");
            }

            artifactId = entityId[..colon];
        }

        return await session.Connection.QuerySingleOrDefaultAsync<QuarantineTargets.Target>(new CommandDefinition(
            QuarantineTargets.LookupSql(entity),
            new { id = entityId, artifactId, number, me = me.Id },
            session.Transaction,
            cancellationToken: cancellationToken))
            ?? throw CortexException.NotFound($"The {entity} {entityId}");
    }
}
