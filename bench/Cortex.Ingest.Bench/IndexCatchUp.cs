using System.Diagnostics;
using Npgsql;

namespace Cortex.Ingest.Bench;

/// <summary>
/// Observations are written without their full-text vector; the server fills it in once the burst pauses
/// (ObservationSearchIndexer). This times how long after the last batch every row of the table has one.
/// </summary>
internal static class IndexCatchUp
{
    public static async Task<(TimeSpan Elapsed, long Pending)> WaitAsync(NpgsqlDataSource dataSource, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        await using var command = dataSource.CreateCommand("SELECT count(*) FROM observations WHERE search IS NULL");
        var first = (long)(await command.ExecuteScalarAsync().ConfigureAwait(false))!;
        var pending = first;
        while (pending > 0 && clock.Elapsed < timeout)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(200)).ConfigureAwait(false);
            pending = (long)(await command.ExecuteScalarAsync().ConfigureAwait(false))!;
        }

        return pending == 0 ? (clock.Elapsed, first) : throw new TimeoutException($"{pending} observations still unindexed after {timeout}.");
    }
}
