namespace Cortex.Jobs;

/// <summary>The <c>state</c> column of a job.</summary>
public enum JobState
{
    Queued,
    Running,
    Succeeded,

    /// <summary>An attempt failed; the job runs again after <c>run_after</c>.</summary>
    Failed,

    /// <summary>Dead-lettered: out of attempts or failed permanently; only a requeue revives it.</summary>
    Dead,
}

internal static class JobStates
{
    public static JobState Parse(string state) => state switch
    {
        "queued" => JobState.Queued,
        "running" => JobState.Running,
        "succeeded" => JobState.Succeeded,
        "failed" => JobState.Failed,
        "dead" => JobState.Dead,
        _ => throw new InvalidOperationException($"Unknown job state '{state}'."),
    };
}
