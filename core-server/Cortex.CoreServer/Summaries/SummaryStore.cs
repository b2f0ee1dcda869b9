using System.Text.Json;
using Dapper;
using Npgsql;

namespace Cortex.CoreServer.Summaries;

/// <summary>Reads the summaries and digests the worker stores (worker: Cortex.Worker/Summaries), and queues rebuilds.</summary>
internal sealed class SummaryStore(NpgsqlDataSource dataSource)
{
    public async Task<ThreadSummary?> FindThreadSummaryAsync(string threadId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<ThreadSummary>(new CommandDefinition(
            """
            SELECT thread_id, summary, sentences, thread_version, comment_count, computed_at
            FROM thread_summaries WHERE thread_id = @threadId
            """,
            new { threadId },
            cancellationToken: cancellationToken));
    }

    public async Task<SubcortexDigest?> FindDigestAsync(string subcortexId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<(string Digest, DateTimeOffset ComputedAt)?>(new CommandDefinition(
            "SELECT digest::text, computed_at FROM subcortex_digests WHERE subcortex_id = @subcortexId",
            new { subcortexId },
            cancellationToken: cancellationToken));
        if (row is not { } found)
        {
            return null;
        }

        using var json = JsonDocument.Parse(found.Digest);
        return new SubcortexDigest { SubcortexId = subcortexId, Digest = json.RootElement.Clone(), ComputedAt = found.ComputedAt };
    }

    /// <summary>
    /// Queues a forced summary job for every thread and a digest job for every subcortex (all, or one subcortex's). The
    /// dedup key collapses repeated requests while their jobs are pending. Returns how many jobs were queued.
    /// </summary>
    public static async Task<int> EnqueueRebuildAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string? subcortexId, CancellationToken cancellationToken = default) =>
        await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            """
            WITH queued AS (
                INSERT INTO jobs (kind, payload, dedup_key, max_attempts)
                SELECT w.kind, jsonb_build_object('id', w.id, 'force', true), 'rebuild:' || w.id, 5 FROM (
                    SELECT 'summaries.thread' AS kind, t.id FROM threads t WHERE @subcortexId::text IS NULL OR t.subcortex_id = @subcortexId
                    UNION ALL
                    SELECT 'summaries.digest', s.id FROM subcortexes s WHERE @subcortexId::text IS NULL OR s.id = @subcortexId) AS w
                ON CONFLICT (kind, dedup_key) WHERE dedup_key IS NOT NULL AND state IN ('queued', 'running', 'failed') DO NOTHING
                RETURNING 1)
            SELECT count(*)::int FROM queued
            """,
            new { subcortexId },
            transaction,
            cancellationToken: cancellationToken));
}
