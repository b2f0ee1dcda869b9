using Cortex.Jobs;
using Dapper;
using Npgsql;

namespace Cortex.Worker.Summaries;

/// <summary>
/// A subcortex's digest: content counts, its canon artifacts, and its latest threads with their summaries (or, until
/// one exists, the thread's opening sentences), computed in one statement and stored as JSON (migration 0720).
/// </summary>
public sealed class SubcortexDigestHandler(NpgsqlDataSource dataSource) : JobHandler<SummaryPayload>
{
    public const string JobKind = "summaries.digest";
    private const int LatestThreads = 5;
    private const int CanonArtifacts = 10;

    public override string Kind => JobKind;

    protected override async Task HandleAsync(SummaryPayload payload, JobContext job, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // A burst of writes queues a digest job each, all due 30 s later: the first recomputes, the others find a
        // digest computed well after they were queued (so after their write committed) and stop.
        var fresh = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM subcortex_digests WHERE subcortex_id = @id AND computed_at > @enqueuedAt + interval '5 seconds')",
            new { id = payload.Id, enqueuedAt = job.EnqueuedAt },
            cancellationToken: cancellationToken));
        if (fresh && !payload.Force)
        {
            return;
        }

        var latest = (await connection.QueryAsync<(string Id, string Title, string Body, string? Summary)>(new CommandDefinition(
            """
            SELECT t.id, t.title, left(t.body, 4000), s.summary FROM threads t LEFT JOIN thread_summaries s ON s.thread_id = t.id
            WHERE t.subcortex_id = @id
              AND NOT EXISTS (SELECT 1 FROM quarantines q WHERE q.entity = 'thread' AND q.entity_id = t.id AND q.lifted_at IS NULL)
            ORDER BY t.updated_at DESC, t.id DESC LIMIT @latest
            """,
            new { id = payload.Id, latest = LatestThreads },
            cancellationToken: cancellationToken))).AsList();
        var threads = latest.Select(t => new
        {
            id = t.Id,
            title = t.Title,
            summary = t.Summary ?? string.Join(' ', ExtractiveSummarizer.Summarize([t.Body], 1)),
        }).ToArray();
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO subcortex_digests AS d (subcortex_id, digest)
            SELECT s.id, jsonb_build_object(
                'threads', (SELECT count(*) FROM threads t WHERE t.subcortex_id = s.id),
                'comments', (SELECT count(*) FROM comments c JOIN threads t ON t.id = c.thread_id WHERE t.subcortex_id = s.id),
                'observations', (SELECT count(*) FROM observations o WHERE o.subcortex_id = s.id),
                'canon', coalesce((SELECT jsonb_agg(jsonb_build_object('id', a.id, 'title', a.title, 'version', a.canon_version) ORDER BY a.updated_at DESC)
                                   FROM (SELECT * FROM artifacts a WHERE a.subcortex_id = s.id AND a.state = 'active' AND a.canon_version IS NOT NULL
                                         ORDER BY a.updated_at DESC LIMIT @canonLimit) a), '[]'::jsonb),
                'latestThreads', @threads::jsonb)
            FROM subcortexes s WHERE s.id = @id
            ON CONFLICT (subcortex_id) DO UPDATE SET digest = EXCLUDED.digest, computed_at = now()
            """,
            new { id = payload.Id, canonLimit = CanonArtifacts, threads = System.Text.Json.JsonSerializer.Serialize(threads) },
            cancellationToken: cancellationToken));
    }
}
