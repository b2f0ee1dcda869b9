using Cortex.CoreServer.Database;
using Dapper;
using Npgsql;

namespace Cortex.CoreServer.Sync;

/// <summary>Per-principal replica epochs (no row means <see cref="Initial"/>). Bumping one makes that principal's
/// replicas wipe their synced data and bootstrap again, for changes that purges cannot express.</summary>
internal sealed class SyncEpochs([FromKeyedServices(DatabaseExtensions.SyncReads)] NpgsqlDataSource dataSource)
{
    public const long Initial = 1;

    /// <summary>The principal's epoch and the feed head, for a hello.</summary>
    public async Task<(long Epoch, long Head)> GetAsync(string principalId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleAsync<(long, long)>(new CommandDefinition(
            """
            SELECT coalesce((SELECT epoch FROM sync_epochs WHERE principal_id = @principalId), @initial),
                   (SELECT position FROM feed_head WHERE id = 1)
            """,
            new { principalId, initial = Initial },
            cancellationToken: cancellationToken));
    }

    public async Task<long> BumpAsync(string principalId, string reason, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await BumpAsync(connection, null, principalId, reason, cancellationToken);
    }

    /// <summary>Bumps inside the caller's transaction (an operator's request, audited with it).</summary>
    public static Task<long> BumpAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, string principalId, string reason, CancellationToken cancellationToken) =>
        connection.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            INSERT INTO sync_epochs AS e (principal_id, epoch, reason) VALUES (@principalId, @next, @reason)
            ON CONFLICT (principal_id) DO UPDATE SET epoch = e.epoch + 1, reason = excluded.reason, bumped_at = now()
            RETURNING epoch
            """,
            new { principalId, next = Initial + 1, reason },
            transaction,
            cancellationToken: cancellationToken));
}
