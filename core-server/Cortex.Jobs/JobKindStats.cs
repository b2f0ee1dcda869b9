namespace Cortex.Jobs;

/// <summary>Unfinished and dead-lettered jobs of one kind, for metrics and operators.</summary>
/// <param name="Kind">The job kind.</param>
/// <param name="Queued">Waiting for a first run (due or scheduled).</param>
/// <param name="Retrying">Failed at least once and waiting for another attempt.</param>
/// <param name="Running">Leased by a worker.</param>
/// <param name="Dead">Dead-lettered.</param>
public sealed record JobKindStats(string Kind, long Queued, long Retrying, long Running, long Dead)
{
    /// <summary>Jobs waiting to run.</summary>
    public long Depth => Queued + Retrying;
}
