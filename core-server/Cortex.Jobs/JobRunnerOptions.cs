namespace Cortex.Jobs;

/// <summary>Settings of a <see cref="JobRunner"/>, under <c>Cortex:Worker</c>.</summary>
public sealed class JobRunnerOptions
{
    public const string SectionName = "Cortex:Worker";

    /// <summary>Names this worker in <c>locked_by</c>; defaults to host name and process id.</summary>
    public string WorkerId { get; set; } = $"{Environment.MachineName}-{Environment.ProcessId}";

    /// <summary>How many jobs run at once.</summary>
    public int Concurrency { get; set; } = 4;

    /// <summary>How long a taken job stays ours without a heartbeat; a dead worker's jobs return after this.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often a running job's lease is extended; null means a third of the lease.</summary>
    public TimeSpan? HeartbeatInterval { get; set; }

    /// <summary>The longest an idle worker waits before looking again (notifications usually wake it first).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Run <see cref="JobsSchema.EnsureAsync"/> before taking jobs.</summary>
    public bool EnsureSchema { get; set; } = true;

    internal TimeSpan EffectiveHeartbeat => HeartbeatInterval ?? LeaseDuration / 3;
}
