using Cortex.CoreServer.Database;
using Cortex.SharedModel.Principals;
using Dapper;
using Npgsql;

namespace Cortex.CoreServer.Sync;

/// <summary>
/// Remembers which subcortexes each replica has been allowed to receive. When the principal's access no longer covers
/// one (membership removed, subcortex made private), the replica must purge it; the purge is repeated on every pull
/// until the replica's cursor passes the position where the loss was seen (a batch sent after the purge was applied,
/// and purges reach the replica before the batch they precede), so a purge lost with a connection is sent again.
/// When access grows to a subcortex whose earlier changes lie behind the cursor (filtered out back then), the feed
/// cannot bring them back: the replica needs an epoch reset.
/// </summary>
internal sealed class ReplicaScopes([FromKeyedServices(DatabaseExtensions.SyncReads)] NpgsqlDataSource dataSource)
{
    private const string Readable = """
        SELECT s.id FROM subcortexes s
        WHERE @isAdmin OR NOT s.is_private
           OR EXISTS (SELECT 1 FROM subcortex_members m WHERE m.subcortex_id = s.id AND m.principal_id = @me)
        """;

    /// <summary><paramref name="Lost"/>: scope ids by the feed position at which each loss was seen; the purge fences
    /// below that position + 1, so the fence retires exactly when the row is confirmed and dropped.</summary>
    public sealed record Refresh(IReadOnlyList<(string SubcortexId, long LostAt)> Lost, bool MissedContent)
    {
        public static readonly Refresh Unchanged = new([], false);
    }

    /// <summary>
    /// Skips the refresh when access has not changed since <paramref name="checkpoint"/> last found this replica's scopes
    /// settled (none lost and awaiting confirmation): no scope can be lost, regained or added then.
    /// <paramref name="accessVersion"/> must have been read before (in an older snapshot than) this refresh, so the
    /// version recorded never claims more than the refresh saw; the hub reads it with the batch.
    /// <paramref name="cursor"/> is the replica's cursor before this pull (what it has applied, which confirms earlier
    /// purges); <paramref name="coveredUpTo"/> is where this pull's batch, already read, ends: changes up to it were
    /// filtered by the access the principal had when it was read, so a scope gained since may have missed some; the
    /// <paramref name="fedPositions"/> of the batch are the ones it did get.
    /// </summary>
    public async Task<Refresh> RefreshAsync(
        Principal principal,
        string replicaId,
        long cursor,
        long coveredUpTo,
        IReadOnlyCollection<long> fedPositions,
        long accessVersion,
        ScopeCheckpoint checkpoint,
        CancellationToken cancellationToken = default)
    {
        if (accessVersion == checkpoint.SettledAt)
        {
            return Refresh.Unchanged;
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var head = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT position FROM feed_head WHERE id = 1", transaction: transaction, cancellationToken: cancellationToken));
        var args = new { replicaId, me = principal.Id, isAdmin = principal.Role == Role.Admin, cursor, head };
        var known = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM sync_replica_scopes WHERE replica_id = @replicaId)", args, transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(
            $"""
            UPDATE sync_replica_scopes SET lost_at = @head
            WHERE replica_id = @replicaId AND lost_at IS NULL AND subcortex_id NOT IN ({Readable});
            DELETE FROM sync_replica_scopes WHERE replica_id = @replicaId AND lost_at < @cursor;
            """,
            args, transaction, cancellationToken: cancellationToken));
        // A regained scope was purged and may still be fenced, so even what this batch carried may not have landed.
        var regained = (await connection.QueryAsync<string>(new CommandDefinition(
            $"""
            UPDATE sync_replica_scopes SET lost_at = NULL
            WHERE replica_id = @replicaId AND lost_at IS NOT NULL AND subcortex_id IN ({Readable})
            RETURNING subcortex_id
            """,
            args, transaction, cancellationToken: cancellationToken))).AsList();
        var added = (await connection.QueryAsync<string>(new CommandDefinition(
            $"""
            INSERT INTO sync_replica_scopes (replica_id, principal_id, subcortex_id)
            SELECT @replicaId, @me, id FROM ({Readable}) readable
            ON CONFLICT DO NOTHING
            RETURNING subcortex_id
            """,
            args, transaction, cancellationToken: cancellationToken))).AsList();
        var lost = (await connection.QueryAsync<(string, long)>(new CommandDefinition(
            "SELECT subcortex_id, lost_at FROM sync_replica_scopes WHERE replica_id = @replicaId AND lost_at IS NOT NULL",
            args, transaction, cancellationToken: cancellationToken))).AsList();
        var missed = known && (regained.Count > 0 || added.Count > 0) && await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            """
            SELECT EXISTS (SELECT 1 FROM changes
                           WHERE position <= @coveredUpTo
                             AND (subcortex_id = ANY(@regained) OR (subcortex_id = ANY(@added) AND position <> ALL(@fed))))
            """,
            new { regained = regained.ToArray(), added = added.ToArray(), coveredUpTo, fed = fedPositions.ToArray() },
            transaction,
            cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        if (lost.Count == 0 && !missed)
        {
            checkpoint.SettledAt = accessVersion;
        }

        return new Refresh(lost, missed);
    }
}

/// <summary>Per hub connection: the access version at which its replica's scopes were last found settled.</summary>
internal sealed class ScopeCheckpoint
{
    public long SettledAt { get; set; } = -1;

    /// <summary>A connection's pulls and its live stream run side by side; their reads and refreshes take turns.</summary>
    public SemaphoreSlim Gate { get; } = new(1, 1);
}
