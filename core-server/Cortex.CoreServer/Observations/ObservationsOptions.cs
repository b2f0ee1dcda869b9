using System.ComponentModel.DataAnnotations;

namespace Cortex.CoreServer.Observations;

/// <summary>When <see cref="ObservationSearchIndexer"/> fills in the full-text vectors of new observations.</summary>
public sealed class ObservationsOptions
{
    public const string Section = "Cortex:Observations";

    /// <summary>Off only in tests that look at not-yet-indexed observations; search finds them either way.</summary>
    public bool IndexSearchInBackground { get; set; } = true;

    /// <summary>Indexing waits until no batch has been written for this long, so a burst is not slowed down by it.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00", ErrorMessage = "Cortex:Observations:IndexQuietPeriod must be between 0 and 10 minutes.")]
    public TimeSpan IndexQuietPeriod { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>…but never longer than this after the first unindexed write, so a steady stream is indexed too.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00", ErrorMessage = "Cortex:Observations:IndexMaxDelay must be between 0 and 1 hour.")]
    public TimeSpan IndexMaxDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Looks for unindexed rows this often without a signal (other server instances' writes, a crash).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00", ErrorMessage = "Cortex:Observations:IndexPollInterval must be between 1 second and 1 hour.")]
    public TimeSpan IndexPollInterval { get; set; } = TimeSpan.FromSeconds(30);

    [Range(1, 100_000, ErrorMessage = "Cortex:Observations:IndexChunkSize must be between 1 and 100000.")]
    public int IndexChunkSize { get; set; } = 2_000;
}
