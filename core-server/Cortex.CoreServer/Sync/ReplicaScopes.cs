using Cortex.SharedModel.Principals;
using Dapper;
using Npgsql;

namespace Cortex.CoreServer.Sync;

/// <summary>
/// Remembers which subcortexes each replica has been allowed to receive. When the principal's access no longer covers
/// one (membership removed, subcortex made private), the difference is what the replica must purge.
/// </summary>
internal sealed class ReplicaScopes(NpgsqlDataSource dataSource)
{
    /// <summary>Records the replica's current scopes and returns the ones it lost, with the feed head they were read at.</summary>
    public async Task<(IReadOnlyList<string> Lost, long Head)> RefreshAsync(
        Principal principal, string replicaId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var head = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT position FROM feed_head WHERE id = 1", transaction: transaction, cancellationToken: cancellationToken));
        var lost = (await connection.QueryAsync<string>(new CommandDefinition(
            """
            WITH readable AS (
                SELECT s.id FROM subcortexes s
                WHERE @isAdmin OR NOT s.is_private
                   OR EXISTS (SELECT 1 FROM subcortex_members m WHERE m.subcortex_id = s.id AND m.principal_id = @me)),
            added AS (
                INSERT INTO sync_replica_scopes (replica_id, principal_id, subcortex_id)
                SELECT @replicaId, @me, id FROM readable
                ON CONFLICT DO NOTHING)
            DELETE FROM sync_replica_scopes r
            WHERE r.replica_id = @replicaId AND r.subcortex_id NOT IN (SELECT id FROM readable)
            RETURNING r.subcortex_id
            """,
            new { replicaId, me = principal.Id, isAdmin = principal.Role == Role.Admin },
            transaction,
            cancellationToken: cancellationToken))).AsList();
        await transaction.CommitAsync(cancellationToken);
        return (lost, head);
    }
}
