using Dapper;
using Npgsql;
using NpgsqlTypes;

namespace Cortex.Jobs;

/// <summary>
/// The producer and operator side of the queue: enqueue (alone or inside the caller's transaction), inspect,
/// count, requeue dead letters, purge. The worker side is in JobQueue.Leases.cs.
/// </summary>
public sealed partial class JobQueue(NpgsqlDataSource dataSource)
{
    private const string Unfinished = "('queued', 'running', 'failed')";

    private const string InsertSql = $"""
        INSERT INTO jobs (kind, payload, max_attempts, run_after, dedup_key)
        VALUES (@kind, @payload, @max_attempts, coalesce(@run_after, now()), @dedup_key)
        ON CONFLICT (kind, dedup_key) WHERE dedup_key IS NOT NULL AND state IN {Unfinished} DO NOTHING
        RETURNING id
        """;

    private const string FindUnfinishedSql = $"""
        SELECT id FROM jobs WHERE kind = @kind AND dedup_key = @dedup_key AND state IN {Unfinished}
        """;

    /// <summary>Enqueues a job in its own transaction.</summary>
    public async Task<EnqueueResult> EnqueueAsync(EnqueueRequest request, CancellationToken cancellationToken = default)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            return await EnqueueAsync(connection, null, request, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Enqueues a job inside <paramref name="transaction"/>: it exists only if the transaction commits, and
    /// workers are woken on commit. This is how a write and the work it needs stay consistent.
    /// </summary>
    public static Task<EnqueueResult> EnqueueAsync(
        NpgsqlTransaction transaction, EnqueueRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        var connection = transaction.Connection
            ?? throw new ArgumentException("The transaction has completed.", nameof(transaction));
        return EnqueueAsync(connection, transaction, request, cancellationToken);
    }

    /// <summary>Enqueues many jobs in one statement (inside <paramref name="transaction"/> when given).</summary>
    /// <returns>How many were created; requests whose dedup key matched an unfinished job are skipped.</returns>
    public async Task<int> EnqueueManyAsync(
        IReadOnlyCollection<EnqueueRequest> requests, NpgsqlTransaction? transaction = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        const string sql = $"""
            INSERT INTO jobs (kind, payload, max_attempts, run_after, dedup_key)
            SELECT k, p, m, coalesce(r, now()), d
            FROM unnest(@kinds, @payloads, @max_attempts, @run_after, @dedup_keys) AS t(k, p, m, r, d)
            ON CONFLICT (kind, dedup_key) WHERE dedup_key IS NOT NULL AND state IN {Unfinished} DO NOTHING
            """;
        if (requests.Count == 0)
        {
            return 0;
        }

        var ownConnection = transaction is null
            ? await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false)
            : null;
        try
        {
            await using var command = new NpgsqlCommand(sql, transaction?.Connection ?? ownConnection, transaction);
            command.Parameters.Add(new NpgsqlParameter<string[]>("kinds", requests.Select(r => r.Kind).ToArray()));
            command.Parameters.Add(new NpgsqlParameter<string[]>("payloads", NpgsqlDbType.Array | NpgsqlDbType.Jsonb)
            {
                TypedValue = requests.Select(r => r.PayloadJson).ToArray(),
            });
            command.Parameters.Add(new NpgsqlParameter<int[]>("max_attempts", requests.Select(r => r.MaxAttempts).ToArray()));
            command.Parameters.Add(new NpgsqlParameter<DateTime?[]>("run_after", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz)
            {
                TypedValue = requests.Select(r => r.RunAfter?.UtcDateTime).ToArray(),
            });
            command.Parameters.Add(new NpgsqlParameter<string?[]>("dedup_keys", NpgsqlDbType.Array | NpgsqlDbType.Text)
            {
                TypedValue = requests.Select(r => r.DedupKey).ToArray(),
            });
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (ownConnection is not null)
            {
                await ownConnection.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    public async Task<JobSnapshot?> GetAsync(long jobId, CancellationToken cancellationToken = default)
    {
        const string sql = """
            SELECT id, kind, payload::text, state, attempts, max_attempts, run_after, locked_by, locked_until,
                   last_error, dedup_key, created_at, finished_at
            FROM jobs WHERE id = @id
            """;
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.AddWithValue("id", jobId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        return new JobSnapshot(
            reader.GetInt64(0),
            reader.GetString(1),
            reader.GetString(2),
            JobStates.Parse(reader.GetString(3)),
            reader.GetInt32(4),
            reader.GetInt32(5),
            reader.GetFieldValue<DateTimeOffset>(6),
            reader.IsDBNull(7) ? null : reader.GetString(7),
            reader.IsDBNull(8) ? null : reader.GetFieldValue<DateTimeOffset>(8),
            reader.IsDBNull(9) ? null : reader.GetString(9),
            reader.IsDBNull(10) ? null : reader.GetString(10),
            reader.GetFieldValue<DateTimeOffset>(11),
            reader.IsDBNull(12) ? null : reader.GetFieldValue<DateTimeOffset>(12));
    }

    /// <summary>Queue depth, running and dead-letter counts per kind (kinds with only succeeded jobs are left out).</summary>
    public async Task<IReadOnlyList<JobKindStats>> GetStatsAsync(CancellationToken cancellationToken = default)
    {
        const string sql = """
            SELECT kind AS Kind,
                   count(*) FILTER (WHERE state = 'queued') AS Queued,
                   count(*) FILTER (WHERE state = 'failed') AS Retrying,
                   count(*) FILTER (WHERE state = 'running') AS Running,
                   count(*) FILTER (WHERE state = 'dead') AS Dead
            FROM jobs
            WHERE state <> 'succeeded'
            GROUP BY kind
            ORDER BY kind
            """;
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var rows = await connection.QueryAsync<JobKindStats>(
                new CommandDefinition(sql, cancellationToken: cancellationToken)).ConfigureAwait(false);
            return rows.AsList();
        }
    }

    /// <summary>Gives a dead job a fresh set of attempts.</summary>
    /// <returns>False when the job is not dead, or an unfinished job already holds its dedup key.</returns>
    public async Task<bool> RequeueDeadAsync(long jobId, CancellationToken cancellationToken = default)
    {
        const string sql = $"""
            WITH revived AS (
                UPDATE jobs AS j
                SET state = 'queued', attempts = 0, run_after = now(), finished_at = NULL, updated_at = now()
                WHERE j.id = @id AND j.state = 'dead'
                  AND NOT EXISTS (SELECT 1 FROM jobs AS o WHERE o.kind = j.kind AND o.dedup_key = j.dedup_key
                                  AND o.state IN {Unfinished})
                RETURNING j.kind)
            SELECT pg_notify('cortex_jobs', kind) FROM revived
            """;
        return await CountRowsAsync(sql, new { id = jobId }, cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <summary>Requeues every dead job of <paramref name="kind"/> (one per dedup key).</summary>
    public async Task<int> RequeueAllDeadAsync(string kind, CancellationToken cancellationToken = default)
    {
        const string sql = $"""
            WITH candidates AS (
                SELECT DISTINCT ON (coalesce(j.dedup_key, j.id::text)) j.id
                FROM jobs AS j
                WHERE j.kind = @kind AND j.state = 'dead'
                  AND NOT EXISTS (SELECT 1 FROM jobs AS o WHERE o.kind = j.kind AND o.dedup_key = j.dedup_key
                                  AND o.state IN {Unfinished})
                ORDER BY coalesce(j.dedup_key, j.id::text), j.id DESC),
            revived AS (
                UPDATE jobs AS j
                SET state = 'queued', attempts = 0, run_after = now(), finished_at = NULL, updated_at = now()
                FROM candidates AS c WHERE j.id = c.id
                RETURNING j.kind)
            SELECT pg_notify('cortex_jobs', kind) FROM revived
            """;
        return await CountRowsAsync(sql, new { kind }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes succeeded jobs that finished more than <paramref name="olderThan"/> ago, in batches.</summary>
    public async Task<long> PurgeSucceededAsync(
        TimeSpan olderThan, int batchSize = 1000, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        const string sql = """
            DELETE FROM jobs WHERE id IN (
                SELECT id FROM jobs
                WHERE state = 'succeeded' AND finished_at < now() - make_interval(secs => @seconds)
                LIMIT @batch)
            """;
        long total = 0;
        int deleted;
        do
        {
            var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                deleted = await connection.ExecuteAsync(new CommandDefinition(
                    sql, new { seconds = olderThan.TotalSeconds, batch = batchSize },
                    cancellationToken: cancellationToken)).ConfigureAwait(false);
            }

            total += deleted;
        }
        while (deleted == batchSize);

        return total;
    }

    private static async Task<EnqueueResult> EnqueueAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, EnqueueRequest request,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);

        // A dedup conflict with a job that finishes right after leaves nothing to find: insert again.
        for (var round = 0; ; round++)
        {
            await using (var insert = new NpgsqlCommand(InsertSql, connection, transaction))
            {
                insert.Parameters.Add(new NpgsqlParameter<string>("kind", request.Kind));
                insert.Parameters.Add(new NpgsqlParameter<string>("payload", NpgsqlDbType.Jsonb) { TypedValue = request.PayloadJson });
                insert.Parameters.Add(new NpgsqlParameter<int>("max_attempts", request.MaxAttempts));
                insert.Parameters.Add(new NpgsqlParameter<DateTime?>("run_after", NpgsqlDbType.TimestampTz)
                {
                    TypedValue = request.RunAfter?.UtcDateTime,
                });
                insert.Parameters.Add(new NpgsqlParameter<string?>("dedup_key", NpgsqlDbType.Text) { TypedValue = request.DedupKey });
                if (await insert.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long id)
                {
                    return new EnqueueResult(id, Created: true);
                }
            }

            await using (var find = new NpgsqlCommand(FindUnfinishedSql, connection, transaction))
            {
                find.Parameters.Add(new NpgsqlParameter<string>("kind", request.Kind));
                find.Parameters.Add(new NpgsqlParameter<string>("dedup_key", request.DedupKey!));
                if (await find.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long existing)
                {
                    return new EnqueueResult(existing, Created: false);
                }
            }

            if (round == 2)
            {
                throw new InvalidOperationException(
                    $"Enqueueing a '{request.Kind}' job with dedup key '{request.DedupKey}' kept conflicting.");
            }
        }
    }

    /// <summary>Runs a statement that returns one (notification) row per changed job.</summary>
    private async Task<int> CountRowsAsync(string sql, object parameters, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var rows = await connection.QueryAsync<object>(
                new CommandDefinition(sql, parameters, cancellationToken: cancellationToken)).ConfigureAwait(false);
            return rows.Count();
        }
    }
}
