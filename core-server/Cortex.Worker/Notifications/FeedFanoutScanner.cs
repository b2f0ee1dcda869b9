using Cortex.Jobs;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Cortex.Worker.Notifications;

/// <summary>
/// Reads the change feed from <c>notification_fanout_cursor</c> and enqueues one <see cref="FanoutHandler"/> job per
/// change that may notify someone, moving the cursor in the same transaction (its row lock keeps several workers from
/// reading the same stretch). Reading the feed, rather than hooking every write path, covers REST writes, outbox
/// mutations and approved drafts alike. Feed positions become visible in commit order, so nothing is skipped.
/// </summary>
public sealed class FeedFanoutScanner(
    NpgsqlDataSource dataSource, JobQueue queue, JobRunner runner, IOptions<NotificationOptions> options, ILogger<FeedFanoutScanner> logger)
    : BackgroundService
{
    public const int BatchSize = 1000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await runner.Ready.WaitAsync(stoppingToken);
        var waitingLogged = false;
        using var timer = new PeriodicTimer(options.Value.FeedPollInterval);
        do
        {
            try
            {
                while (await ScanAsync(stoppingToken) == BatchSize)
                {
                }
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
            {
                // The server has not migrated this database yet; say so once, not at every tick.
                if (!waitingLogged)
                {
                    logger.FanoutWaitingForSchema();
                    waitingLogged = true;
                }
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                logger.FanoutScanFailed(e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <returns>How many feed entries were read (fanned out or skipped).</returns>
    public async Task<int> ScanAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var cursor = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT position FROM notification_fanout_cursor WHERE id = 1 FOR UPDATE", transaction: transaction, cancellationToken: cancellationToken));
        var changes = (await connection.QueryAsync<(long Position, string Entity, string EntityId, string Operation)>(new CommandDefinition(
            "SELECT position, entity, entity_id, operation FROM changes WHERE position > @cursor ORDER BY position LIMIT @limit",
            new { cursor, limit = BatchSize },
            transaction,
            cancellationToken: cancellationToken))).AsList();
        if (changes.Count == 0)
        {
            return 0;
        }

        var jobs = changes
            .Where(c => c.Operation != "deleted" && c.Entity is "task" or "thread" or "comment" or "draft")
            .Select(c => EnqueueRequest.Create(FanoutHandler.JobKind, new FanoutPayload(c.Entity, c.EntityId, c.Operation, c.Position))
                with { DedupKey = c.Position.ToString(System.Globalization.CultureInfo.InvariantCulture) })
            .ToList();
        await queue.EnqueueManyAsync(jobs, transaction, cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE notification_fanout_cursor SET position = @position WHERE id = 1",
            new { position = changes[^1].Position },
            transaction,
            cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return changes.Count;
    }
}
