using System.Text.Json;

namespace Cortex.Jobs;

/// <summary>What a handler knows about the job it runs.</summary>
public sealed record JobContext(
    long JobId, string Kind, JsonElement Payload, int Attempt, int MaxAttempts, string WorkerId, DateTimeOffset EnqueuedAt)
{
    public static JobContext From(JobLease lease)
    {
        ArgumentNullException.ThrowIfNull(lease);
        return new JobContext(lease.JobId, lease.Kind, lease.Payload, lease.Attempt, lease.MaxAttempts, lease.WorkerId,
            lease.EnqueuedAt);
    }

    /// <summary>The payload as <typeparamref name="T"/>; a payload that does not fit fails the job permanently.</summary>
    public T GetPayload<T>()
    {
        try
        {
            return Payload.Deserialize<T>(JobJson.Options)
                ?? throw new PermanentJobFailureException($"Job {JobId} ({Kind}) has a null payload.");
        }
        catch (JsonException e)
        {
            throw new PermanentJobFailureException(
                $"Job {JobId} ({Kind}) has a payload that is not a {typeof(T).Name}: {e.Message}", e);
        }
    }
}
