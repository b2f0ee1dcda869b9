using Dapper;
using Npgsql;

namespace Cortex.CoreServer.Feed;

/// <summary>
/// Appends a transaction's changes to the feed. Call it as the last statement before COMMIT: it takes the row lock on
/// <c>feed_head</c> and keeps it until the transaction ends, so transactions receive positions in the order they commit
/// and no reader can see position p while a smaller position is still uncommitted (issue 2).
/// </summary>
internal static class ChangeFeedWriter
{
    public static async Task<long> AppendAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        IReadOnlyList<PendingChange> changes,
        CancellationToken cancellationToken = default)
    {
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            WITH head AS (UPDATE feed_head SET position = position + @count WHERE id = 1 RETURNING position),
            inserted AS (
                INSERT INTO changes (position, entity, entity_id, operation, version, subcortex_id, principal_id)
                SELECT head.position - @count + c.ord, c.entity, c.entity_id, c.operation, c.version, c.subcortex_id, c.principal_id
                FROM head, unnest(@entities, @entityIds, @operations, @versions, @subcortexIds, @principalIds)
                    WITH ORDINALITY AS c(entity, entity_id, operation, version, subcortex_id, principal_id, ord)
                RETURNING position)
            SELECT max(position) FROM inserted
            """,
            new
            {
                count = (long)changes.Count,
                entities = changes.Select(c => c.Entity).ToArray(),
                entityIds = changes.Select(c => c.EntityId).ToArray(),
                operations = changes.Select(c => c.Operation.ToString().ToLowerInvariant()).ToArray(),
                versions = changes.Select(c => c.Version).ToArray(),
                subcortexIds = changes.Select(c => c.SubcortexId).ToArray(),
                principalIds = changes.Select(c => c.PrincipalId).ToArray(),
            },
            transaction,
            cancellationToken: cancellationToken));
    }
}
