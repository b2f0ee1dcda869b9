using Cortex.Jobs;
using Dapper;
using Npgsql;

namespace Cortex.Worker.Summaries;

/// <summary>Summarizes a thread (its body, then its comments in order) and stores the summary (migration 0720).</summary>
public sealed class ThreadSummaryHandler(NpgsqlDataSource dataSource) : JobHandler<SummaryPayload>
{
    public const string JobKind = "summaries.thread";
    public const int SummarySentences = 3;

    // Very long threads are summarized from their first comments; the opening carries the point.
    private const int MaxComments = 200;

    public override string Kind => JobKind;

    protected override async Task HandleAsync(SummaryPayload payload, JobContext job, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var thread = await connection.QuerySingleOrDefaultAsync<(string Title, string Body, long Version)?>(new CommandDefinition(
            "SELECT title, body, version FROM threads WHERE id = @id", new { id = payload.Id }, cancellationToken: cancellationToken));
        if (thread is not { } found)
        {
            return;
        }

        var comments = (await connection.QueryAsync<string>(new CommandDefinition(
            """
            SELECT c.body FROM comments c
            WHERE c.thread_id = @id
              AND NOT EXISTS (SELECT 1 FROM quarantines q WHERE q.entity = 'comment' AND q.entity_id = c.id AND q.lifted_at IS NULL)
            ORDER BY c.id LIMIT @max
            """,
            new { id = payload.Id, max = MaxComments },
            cancellationToken: cancellationToken))).AsList();
        // Triggers queue a job per write without deduplication; the first job after a burst does the work.
        var current = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM thread_summaries WHERE thread_id = @id AND thread_version = @version AND comment_count = @count)",
            new { id = payload.Id, version = found.Version, count = comments.Count },
            cancellationToken: cancellationToken));
        if (current && !payload.Force)
        {
            return;
        }

        var sentences = ExtractiveSummarizer.Summarize([found.Body, .. comments], SummarySentences);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO thread_summaries AS s (thread_id, summary, sentences, thread_version, comment_count)
            VALUES (@id, @summary, @sentences, @version, @commentCount)
            ON CONFLICT (thread_id) DO UPDATE SET summary = EXCLUDED.summary, sentences = EXCLUDED.sentences,
                thread_version = EXCLUDED.thread_version, comment_count = EXCLUDED.comment_count, computed_at = now()
            """,
            new
            {
                id = payload.Id,
                summary = string.Join(' ', sentences),
                sentences = sentences.Count,
                version = found.Version,
                commentCount = comments.Count,
            },
            cancellationToken: cancellationToken));
    }
}
