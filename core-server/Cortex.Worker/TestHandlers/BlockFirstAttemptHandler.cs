using Cortex.Jobs;
using Npgsql;

namespace Cortex.Worker.TestHandlers;

/// <summary>
/// Records each attempt in <c>worker_test_attempts</c>; the first attempt then blocks until cancelled, so a test can
/// kill the worker holding it, and later attempts succeed.
/// </summary>
public sealed class BlockFirstAttemptHandler(NpgsqlDataSource dataSource) : IJobHandler
{
    public const string JobKind = "test.block-first-attempt";

    public string Kind => JobKind;

    public async Task HandleAsync(JobContext job, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        await using (var command = dataSource.CreateCommand(
                         "INSERT INTO worker_test_attempts (job_id, attempt, worker_id) VALUES (@job, @attempt, @worker)"))
        {
            command.Parameters.AddWithValue("job", job.JobId);
            command.Parameters.AddWithValue("attempt", job.Attempt);
            command.Parameters.AddWithValue("worker", job.WorkerId);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        if (job.Attempt == 1)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
    }
}
