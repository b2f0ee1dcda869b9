using System.Text.Json;
using Npgsql;

namespace Cortex.Jobs;

/// <summary>The worker side: take jobs under a lease, keep the lease alive, and record how each attempt ended.</summary>
public sealed partial class JobQueue
{
    // Every statement on a taken job is fenced by (locked_by, attempts): after the lease expired and someone
    // else took the job, the old holder's writes match no row.
    private const string Fence = "id = @id AND state = 'running' AND locked_by = @worker AND attempts = @attempt";

    /// <summary>
    /// Takes up to <paramref name="limit"/> due jobs of the given kinds (and jobs whose lease expired with attempts
    /// left), oldest first. <c>FOR UPDATE SKIP LOCKED</c> keeps concurrent workers from taking the same job.
    /// </summary>
    public async Task<IReadOnlyList<JobLease>> DequeueAsync(
        string workerId, IReadOnlyCollection<string> kinds, int limit, TimeSpan lease,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(workerId);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        const string sql = """
            WITH next AS (
                SELECT id FROM jobs
                WHERE kind = ANY(@kinds)
                  AND ((state IN ('queued', 'failed') AND run_after <= now())
                       OR (state = 'running' AND locked_until < now() AND attempts < max_attempts))
                ORDER BY run_after, id
                LIMIT @limit
                FOR UPDATE SKIP LOCKED)
            UPDATE jobs AS j
            SET state = 'running',
                attempts = j.attempts + 1,
                locked_by = @worker,
                locked_until = now() + make_interval(secs => @lease_seconds),
                updated_at = now(),
                last_error = CASE WHEN j.state = 'running'
                                  THEN 'The lease of ' || j.locked_by || ' expired during attempt ' || j.attempts
                                  ELSE j.last_error END
            FROM next
            WHERE j.id = next.id
            RETURNING j.id, j.kind, j.payload::text, j.attempts, j.max_attempts, j.locked_until, j.created_at
            """;
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter<string[]>("kinds", kinds.ToArray()));
        command.Parameters.Add(new NpgsqlParameter<int>("limit", limit));
        command.Parameters.Add(new NpgsqlParameter<string>("worker", workerId));
        command.Parameters.Add(new NpgsqlParameter<double>("lease_seconds", lease.TotalSeconds));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var leases = new List<JobLease>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            using var payload = JsonDocument.Parse(reader.GetString(2));
            leases.Add(new JobLease(
                reader.GetInt64(0),
                reader.GetString(1),
                payload.RootElement.Clone(),
                reader.GetInt32(3),
                reader.GetInt32(4),
                workerId,
                reader.GetFieldValue<DateTimeOffset>(5),
                reader.GetFieldValue<DateTimeOffset>(6)));
        }

        return leases.OrderBy(l => l.JobId).ToList();
    }

    /// <summary>Extends the lease; false when it was lost (expired and taken by another worker).</summary>
    public async Task<bool> ExtendLeaseAsync(JobLease lease, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        const string sql = $"""
            UPDATE jobs SET locked_until = now() + make_interval(secs => @lease_seconds), updated_at = now()
            WHERE {Fence}
            """;
        return await ExecuteFencedAsync(sql, lease, cancellationToken, ("lease_seconds", duration.TotalSeconds))
            .ConfigureAwait(false) == 1;
    }

    /// <summary>Marks the job succeeded; false when the lease was lost.</summary>
    public async Task<bool> CompleteAsync(JobLease lease, CancellationToken cancellationToken = default)
    {
        const string sql = $"""
            UPDATE jobs SET state = 'succeeded', locked_until = NULL, finished_at = now(), updated_at = now()
            WHERE {Fence}
            """;
        return await ExecuteFencedAsync(sql, lease, cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <summary>
    /// Records a failed attempt: the job runs again after <paramref name="retryDelay"/>, or is dead-lettered when it
    /// has no attempts left or <paramref name="permanent"/> is set.
    /// </summary>
    /// <returns>The job's new state, or null when the lease was lost.</returns>
    public async Task<JobState?> FailAsync(
        JobLease lease, string error, TimeSpan retryDelay, bool permanent = false,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentNullException.ThrowIfNull(error);
        const string sql = $"""
            UPDATE jobs
            SET state = CASE WHEN @permanent OR attempts >= max_attempts THEN 'dead' ELSE 'failed' END,
                run_after = CASE WHEN @permanent OR attempts >= max_attempts THEN run_after
                                 ELSE now() + make_interval(secs => @delay_seconds) END,
                finished_at = CASE WHEN @permanent OR attempts >= max_attempts THEN now() END,
                locked_until = NULL,
                last_error = @error,
                updated_at = now()
            WHERE {Fence}
            RETURNING state
            """;
        await using var command = dataSource.CreateCommand(sql);
        AddFence(command, lease);
        command.Parameters.Add(new NpgsqlParameter<bool>("permanent", permanent));
        command.Parameters.Add(new NpgsqlParameter<double>("delay_seconds", retryDelay.TotalSeconds));
        command.Parameters.Add(new NpgsqlParameter<string>("error", error));
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is string state
            ? JobStates.Parse(state)
            : null;
    }

    /// <summary>
    /// Hands an unfinished job back without counting the attempt (a worker shutting down); other workers are woken.
    /// </summary>
    public async Task<bool> ReleaseAsync(JobLease lease, CancellationToken cancellationToken = default)
    {
        const string sql = $"""
            WITH released AS (
                UPDATE jobs SET state = 'queued', attempts = attempts - 1, locked_until = NULL, run_after = now(),
                                updated_at = now()
                WHERE {Fence}
                RETURNING kind)
            SELECT pg_notify('cortex_jobs', kind) FROM released
            """;
        await using var command = dataSource.CreateCommand(sql);
        AddFence(command, lease);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Dead-letters jobs whose lease expired during their last attempt; returns how many.</summary>
    public async Task<int> ReapExpiredLeasesAsync(CancellationToken cancellationToken = default)
    {
        const string sql = """
            UPDATE jobs
            SET state = 'dead', locked_until = NULL, finished_at = now(), updated_at = now(),
                last_error = 'The lease of ' || locked_by || ' expired during the last attempt (' || attempts || ')'
            WHERE state = 'running' AND locked_until < now() AND attempts >= max_attempts
            """;
        await using var command = dataSource.CreateCommand(sql);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// How long until a job of these kinds becomes due or a lease on one expires (zero if one is due now;
    /// null if there is nothing to wait for).
    /// </summary>
    public async Task<TimeSpan?> TimeUntilNextDueAsync(
        IReadOnlyCollection<string> kinds, CancellationToken cancellationToken = default)
    {
        const string sql = """
            SELECT extract(epoch FROM least(
                (SELECT min(run_after) FROM jobs WHERE state IN ('queued', 'failed') AND kind = ANY(@kinds)),
                (SELECT min(locked_until) FROM jobs WHERE state = 'running' AND kind = ANY(@kinds))) - now())::float8
            """;
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter<string[]>("kinds", kinds.ToArray()));
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is double seconds
            ? TimeSpan.FromSeconds(Math.Max(0, seconds))
            : null;
    }

    private async Task<int> ExecuteFencedAsync(
        string sql, JobLease lease, CancellationToken cancellationToken, params (string Name, double Value)[] extra)
    {
        await using var command = dataSource.CreateCommand(sql);
        AddFence(command, lease);
        foreach (var (name, value) in extra)
        {
            command.Parameters.Add(new NpgsqlParameter<double>(name, value));
        }

        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static void AddFence(NpgsqlCommand command, JobLease lease)
    {
        ArgumentNullException.ThrowIfNull(lease);
        command.Parameters.Add(new NpgsqlParameter<long>("id", lease.JobId));
        command.Parameters.Add(new NpgsqlParameter<string>("worker", lease.WorkerId));
        command.Parameters.Add(new NpgsqlParameter<int>("attempt", lease.Attempt));
    }
}
