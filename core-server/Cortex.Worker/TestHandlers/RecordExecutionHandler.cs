using Cortex.Jobs;
using Npgsql;

namespace Cortex.Worker.TestHandlers;

/// <summary>
/// Records that it ran a job in <c>worker_test_executions</c>, whose primary key makes a second run of the same job
/// fail loudly.
/// </summary>
public sealed class RecordExecutionHandler(NpgsqlDataSource dataSource) : IJobHandler
{
    public const string JobKind = "test.record-execution";

    public string Kind => JobKind;

    public async Task HandleAsync(JobContext job, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        await using var command = dataSource.CreateCommand(
            "INSERT INTO worker_test_executions (job_id, worker_id) VALUES (@job, @worker)");
        command.Parameters.AddWithValue("job", job.JobId);
        command.Parameters.AddWithValue("worker", job.WorkerId);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
