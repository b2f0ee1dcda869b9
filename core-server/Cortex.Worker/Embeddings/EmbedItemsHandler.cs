using Cortex.Jobs;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Cortex.Worker.Embeddings;

/// <summary>
/// Embeds searchable items with all-MiniLM-L6-v2 and upserts their vectors, group by group, each group in one
/// transaction with its feed rows (<see cref="EmbeddingWriter"/>). Idempotent: items whose stored vector is current
/// are skipped, so a retried job redoes only what it had not committed.
/// </summary>
public sealed class EmbedItemsHandler(
    NpgsqlDataSource dataSource, SharedEmbedder embedder, IOptions<EmbeddingsWorkerOptions> options, ILogger<EmbedItemsHandler> logger)
    : JobHandler<EmbedItemsPayload>
{
    public const string JobKind = "search.embed";

    // Items per transaction: small enough that a retry repeats little, large enough to amortize the feed lock.
    private const int GroupSize = 128;

    public override string Kind => JobKind;

    protected override async Task HandleAsync(EmbedItemsPayload payload, JobContext job, CancellationToken cancellationToken)
    {
        if (!EmbeddingSources.Entities.Contains(payload.Entity))
        {
            throw new PermanentJobFailureException($"'{payload.Entity}' is not a searchable entity.");
        }

        List<PendingItem> pending;
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            await SetLockTimeoutAsync(connection, transaction, cancellationToken);
            pending = (await connection.QueryAsync<PendingItem>(new CommandDefinition(
                EmbeddingSources.PendingSql(payload.Entity),
                new { ids = payload.Ids.ToArray(), model = EmbeddingWriter.ModelName, maxChars = EmbeddingSources.MaxChars },
                transaction,
                cancellationToken: cancellationToken))).AsList();
        }

        var written = 0;
        for (var start = 0; start < pending.Count; start += GroupSize)
        {
            var group = pending.GetRange(start, Math.Min(GroupSize, pending.Count - start));
            var vectors = embedder.Model.EmbedBatch([.. group.Select(item => item.Text)], cancellationToken);
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await SetLockTimeoutAsync(connection, transaction, cancellationToken);
            written += await EmbeddingWriter.WriteAsync(connection, transaction, payload.Entity, group, vectors, force: false, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        logger.ItemsEmbedded(written, payload.Ids.Count, payload.Entity, job.JobId);
    }

    /// <summary>A reindex or a table lock must not park a job forever: the attempt fails and is retried with backoff.</summary>
    private Task SetLockTimeoutAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            $"SET LOCAL lock_timeout = {(long)options.Value.LockTimeout.TotalMilliseconds}",
            transaction: transaction,
            cancellationToken: cancellationToken));
}
