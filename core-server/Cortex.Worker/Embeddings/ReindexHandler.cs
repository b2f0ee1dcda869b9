using Cortex.Jobs;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Cortex.Worker.Embeddings;

/// <summary>
/// Runs an admin reindex (issue 8): re-embeds every item in scope and/or rebuilds its full-text entries, chunk by chunk,
/// moving the run's cursor and progress in the same transaction as each chunk, so a crashed or stopped worker's run
/// resumes after the last committed chunk when the job is taken again. A run over everything also rebuilds the HNSW
/// index (with a sensible maintenance_work_mem) and the GIN indexes, concurrently, so search keeps working.
/// </summary>
public sealed class ReindexHandler(
    NpgsqlDataSource dataSource, SharedEmbedder embedder, IOptions<EmbeddingsWorkerOptions> options, ILogger<ReindexHandler> logger)
    : JobHandler<ReindexPayload>
{
    public const string JobKind = "admin.reindex";

    private readonly EmbeddingsWorkerOptions _options = options.Value;

    public override string Kind => JobKind;

    protected override async Task HandleAsync(ReindexPayload payload, JobContext job, CancellationToken cancellationToken)
    {
        var run = await LoadAsync(payload.RunId, cancellationToken);
        if (run is null || run.State is "succeeded" or "failed")
        {
            return;
        }

        var phases = ReindexPhases.For(run.Targets, run.SubcortexId is null);
        var start = run.Phase is null ? 0 : Math.Max(0, phases.IndexOf(run.Phase));
        await ExecuteAsync(
            "UPDATE reindex_runs SET state = 'running', attempts = attempts + 1, updated_at = now() WHERE id = @id",
            new { id = run.Id }, cancellationToken);
        logger.ReindexStarted(run.Id, run.SubcortexId ?? "*", run.Phase ?? phases[0], run.Cursor ?? "", job.Attempt);
        try
        {
            for (var i = start; i < phases.Count; i++)
            {
                var resuming = i == start && run.Phase is not null;
                if (!resuming)
                {
                    await EnterPhaseAsync(run, phases[i], cancellationToken);
                }

                await RunPhaseAsync(run, phases[i], resuming ? run.Cursor : null, cancellationToken);
            }

            await ExecuteAsync(
                "UPDATE reindex_runs SET state = 'succeeded', finished_at = now(), updated_at = now(), last_error = NULL WHERE id = @id",
                new { id = run.Id }, cancellationToken);
            logger.ReindexFinished(run.Id);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The job retries from the cursor; only the last attempt marks the run failed.
            await ExecuteAsync(
                """
                UPDATE reindex_runs SET last_error = @error, updated_at = now(),
                    state = CASE WHEN @final THEN 'failed' ELSE state END, finished_at = CASE WHEN @final THEN now() END
                WHERE id = @id
                """,
                new { id = run.Id, error = e.Message, final = job.Attempt >= job.MaxAttempts }, CancellationToken.None);
            throw;
        }
    }

    private Task RunPhaseAsync(ReindexRunRow run, string phase, string? cursor, CancellationToken cancellationToken) => phase switch
    {
        ReindexPhases.Embeddings => ReembedAsync(run, cursor, cancellationToken),
        ReindexPhases.EmbeddingsIndex => RebuildIndexesAsync(run, ["embeddings_hnsw"], cursor, _options.HnswMaintenanceWorkMem, cancellationToken),
        ReindexPhases.FullText => RewriteFullTextAsync(run, cursor, cancellationToken),
        _ => RebuildIndexesAsync(run, ReindexPhases.FullTextIndexes, cursor, null, cancellationToken),
    };

    private async Task EnterPhaseAsync(ReindexRunRow run, string phase, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var total = phase switch
        {
            ReindexPhases.Embeddings => await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                EmbeddingSources.CountSql(), new { subcortexId = run.SubcortexId }, cancellationToken: cancellationToken)),
            ReindexPhases.FullText => await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                FullTextRewrites.CountSql, new { subcortexId = run.SubcortexId }, cancellationToken: cancellationToken)),
            ReindexPhases.EmbeddingsIndex => 1,
            _ => ReindexPhases.FullTextIndexes.Count,
        };
        await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE reindex_runs SET phase = @phase, cursor = NULL, total = @total, processed = 0, updated_at = now()
            WHERE id = @id
            """,
            new { id = run.Id, phase, total },
            cancellationToken: cancellationToken));
    }

    /// <summary>Cursor: <c>{entity}:{last id}</c>, in <see cref="EmbeddingSources.Ordered"/> order.</summary>
    private async Task ReembedAsync(ReindexRunRow run, string? cursor, CancellationToken cancellationToken)
    {
        var (fromEntity, after) = SplitCursor(cursor, EmbeddingSources.Ordered[0]);
        foreach (var entity in EmbeddingSources.Ordered.SkipWhile(e => e != fromEntity))
        {
            var afterId = entity == fromEntity ? after : "";
            while (true)
            {
                await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
                var chunk = (await connection.QueryAsync<PendingItem>(new CommandDefinition(
                    EmbeddingSources.ScopeSql(entity),
                    new { after = afterId, subcortexId = run.SubcortexId, limit = _options.ReindexChunkSize, maxChars = EmbeddingSources.MaxChars },
                    cancellationToken: cancellationToken))).AsList();
                if (chunk.Count == 0)
                {
                    break;
                }

                var vectors = embedder.Model.EmbedBatch([.. chunk.Select(item => item.Text)], cancellationToken);
                afterId = chunk[^1].Id;
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await AdvanceAsync(connection, transaction, run.Id, $"{entity}:{afterId}", chunk.Count, cancellationToken);
                await EmbeddingWriter.WriteAsync(connection, transaction, entity, chunk, vectors, force: true, cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            }
        }
    }

    private async Task RewriteFullTextAsync(ReindexRunRow run, string? cursor, CancellationToken cancellationToken)
    {
        var (fromTable, after) = SplitCursor(cursor, FullTextRewrites.Tables[0]);
        foreach (var table in FullTextRewrites.Tables.SkipWhile(t => t != fromTable))
        {
            var afterId = table == fromTable ? after : "";
            while (true)
            {
                await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                var ids = (await connection.QueryAsync<string>(new CommandDefinition(
                    FullTextRewrites.ChunkSql(table),
                    new { after = afterId, subcortexId = run.SubcortexId, limit = _options.ReindexChunkSize },
                    transaction,
                    cancellationToken: cancellationToken))).AsList();
                if (ids.Count == 0)
                {
                    break;
                }

                afterId = ids.Max(StringComparer.Ordinal)!;
                await AdvanceAsync(connection, transaction, run.Id, $"{table}:{afterId}", ids.Count, cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            }
        }
    }

    /// <summary>
    /// REINDEX CONCURRENTLY: searches keep using the old index until the new one is valid. A build interrupted by a
    /// crash leaves an invalid <c>{name}_ccnew</c> index behind; it is dropped before building again.
    /// </summary>
    private async Task RebuildIndexesAsync(
        ReindexRunRow run, IReadOnlyList<string> indexes, string? cursor, string? maintenanceWorkMem, CancellationToken cancellationToken)
    {
        var done = cursor is null ? 0 : indexes.ToList().IndexOf(cursor) + 1;
        foreach (var index in indexes.Skip(done))
        {
            // A dedicated physical connection: session settings must not leak into the pool.
            var builder = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString) { Pooling = false, CommandTimeout = 0 };
            await using (var connection = new NpgsqlConnection(builder.ConnectionString))
            {
                await connection.OpenAsync(cancellationToken);
                await connection.ExecuteAsync(new CommandDefinition($"DROP INDEX CONCURRENTLY IF EXISTS {index}_ccnew", cancellationToken: cancellationToken));
                if (maintenanceWorkMem is not null)
                {
                    await connection.ExecuteAsync(new CommandDefinition(
                        $"SET maintenance_work_mem = '{maintenanceWorkMem}'", cancellationToken: cancellationToken));
                }

                await connection.ExecuteAsync(new CommandDefinition($"REINDEX INDEX CONCURRENTLY {index}", cancellationToken: cancellationToken));
            }

            await using var progress = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = await progress.BeginTransactionAsync(cancellationToken);
            await AdvanceAsync(progress, transaction, run.Id, index, 1, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
    }

    private static Task AdvanceAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string runId, string cursor, int count, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            "UPDATE reindex_runs SET cursor = @cursor, processed = processed + @count, updated_at = now() WHERE id = @runId",
            new { runId, cursor, count },
            transaction,
            cancellationToken: cancellationToken));

    private static (string Part, string After) SplitCursor(string? cursor, string first)
    {
        if (cursor is null)
        {
            return (first, "");
        }

        var colon = cursor.IndexOf(':', StringComparison.Ordinal);
        return (cursor[..colon], cursor[(colon + 1)..]);
    }

    private async Task<ReindexRunRow?> LoadAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<ReindexRunRow>(new CommandDefinition(
            "SELECT id, subcortex_id AS subcortexid, targets, state, phase, cursor FROM reindex_runs WHERE id = @id",
            new { id },
            cancellationToken: cancellationToken));
    }

    private async Task ExecuteAsync(string sql, object parameters, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken));
    }
}
