using Cortex.CoreServer.Database;
using Cortex.Jobs;
using Cortex.SharedModel.Ids;
using Dapper;
using Npgsql;

namespace Cortex.CoreServer.Admin;

/// <summary>Creates reindex runs (with their worker job, in the caller's transaction) and reads their progress.</summary>
internal sealed class ReindexRuns(NpgsqlDataSource dataSource)
{
    public const string JobKind = "admin.reindex";
    public static readonly IReadOnlyList<string> AllTargets = ["embeddings", "fulltext"];

    private const string Columns =
        "id, subcortex_id, targets, state, phase, total, processed, attempts, last_error, requested_by, created_at, updated_at, finished_at";

    public static async Task<ReindexRun> CreateAsync(
        WriteSession session, string? subcortexId, IReadOnlyList<string> targets, string requestedBy, CancellationToken cancellationToken = default)
    {
        var run = await session.Connection.QuerySingleAsync<ReindexRun>(new CommandDefinition(
            $"""
            INSERT INTO reindex_runs (id, subcortex_id, targets, requested_by) VALUES (@id, @subcortexId, @targets, @requestedBy)
            RETURNING {Columns}
            """,
            new { id = CortexId.New(), subcortexId, targets = targets.ToArray(), requestedBy },
            session.Transaction,
            cancellationToken: cancellationToken));
        // Many attempts: a run survives worker crashes and restarts, resuming each time from its cursor.
        await JobQueue.EnqueueAsync(session.Transaction,
            EnqueueRequest.Create(JobKind, new { runId = run.Id }) with { DedupKey = run.Id, MaxAttempts = 20 }, cancellationToken);
        return run;
    }

    public async Task<ReindexRun?> FindAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<ReindexRun>(new CommandDefinition(
            $"SELECT {Columns} FROM reindex_runs WHERE id = @id", new { id }, cancellationToken: cancellationToken));
    }
}
