namespace Cortex.Jobs;

/// <summary>
/// Runs the jobs of one <see cref="Kind"/>. Register with <c>services.AddJobHandler&lt;T&gt;()</c>; a fresh DI scope
/// is created per job. A handler may run more than once for one job (a worker can die after the work but before
/// recording it), so make it idempotent. Throw to fail the attempt (it is retried with backoff), throw
/// <see cref="PermanentJobFailureException"/> to dead-letter at once, and honour the token: it fires on shutdown
/// and when the lease is lost.
/// </summary>
public interface IJobHandler
{
    string Kind { get; }

    Task HandleAsync(JobContext job, CancellationToken cancellationToken = default);
}

/// <summary>A handler whose payload is deserialized into <typeparamref name="TPayload"/>.</summary>
public abstract class JobHandler<TPayload> : IJobHandler
{
    public abstract string Kind { get; }

    public Task HandleAsync(JobContext job, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        return HandleAsync(job.GetPayload<TPayload>(), job, cancellationToken);
    }

    protected abstract Task HandleAsync(TPayload payload, JobContext job, CancellationToken cancellationToken);
}
