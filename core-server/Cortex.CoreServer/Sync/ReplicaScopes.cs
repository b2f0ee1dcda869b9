using Cortex.SharedModel.Principals;
using Dapper;
using Npgsql;

namespace Cortex.CoreServer.Sync;

/// <summary>
/// Remembers which subcortexes each replica has been allowed to receive. When the principal's access no longer covers
/// one (membership removed, subcortex made private), the replica must purge it. When access grows to a subcortex whose
/// earlier changes the replica's cursor has already passed (filtered out at the time), the feed cannot bring them back:
/// the replica needs an epoch reset.
/// </summary>
internal sealed class ReplicaScopes(NpgsqlDataSource dataSource)
{
    public sealed record Refresh(IReadOnlyList<string> Lost, long Head, bool MissedContent);

    public async Task<Refresh> RefreshAsync(Principal principal, string replicaId, long cursor, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var args = new { replicaId, me = principal.Id, isAdmin = principal.Role == Role.Admin, cursor };
        const string Readable = """
            SELECT s.id FROM subcortexes s
            WHERE @isAdmin OR NOT s.is_private
               OR EXISTS (SELECT 1 FROM subcortex_members m WHERE m.subcortex_id = s.id AND m.principal_id = @me)
            """;
        var head = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT position FROM feed_head WHERE id = 1", transaction: transaction, cancellationToken: cancellationToken));
        var known = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM sync_replica_scopes WHERE replica_id = @replicaId)", args, transaction, cancellationToken: cancellationToken));
        var lost = (await connection.QueryAsync<string>(new CommandDefinition(
            $"""
            DELETE FROM sync_replica_scopes r
            WHERE r.replica_id = @replicaId AND r.subcortex_id NOT IN ({Readable})
            RETURNING r.subcortex_id
            """,
            args, transaction, cancellationToken: cancellationToken))).AsList();
        var gained = (await connection.QueryAsync<string>(new CommandDefinition(
            $"""
            INSERT INTO sync_replica_scopes (replica_id, principal_id, subcortex_id)
            SELECT @replicaId, @me, id FROM ({Readable}) readable
            ON CONFLICT DO NOTHING
            RETURNING subcortex_id
            """,
            args, transaction, cancellationToken: cancellationToken))).AsList();
        var missed = known && gained.Count > 0 && await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM changes WHERE subcortex_id = ANY(@gained) AND position <= @cursor)",
            new { gained = gained.ToArray(), cursor }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return new Refresh(lost, head, missed);
    }
}
