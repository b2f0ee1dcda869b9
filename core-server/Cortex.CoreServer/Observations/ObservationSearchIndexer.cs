using System.Diagnostics;
using System.Threading.Channels;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Cortex.CoreServer.Observations;

/// <summary>
/// Fills in the full-text vector of observations written without one (migration 0900), after a burst rather than
/// during it: it waits until no batch has been written for <see cref="ObservationsOptions.IndexQuietPeriod"/>, or at
/// most <see cref="ObservationsOptions.IndexMaxDelay"/>. Keyword search finds the rows it has not reached yet anyway.
/// Server instances share the work through <c>FOR UPDATE SKIP LOCKED</c>; the rows still unindexed are the queue, so
/// nothing is lost when a server stops.
/// </summary>
/// <remarks>Waits on the real clock, not the injected <see cref="TimeProvider"/>: tests fake that one and never move it.</remarks>
internal sealed class ObservationSearchIndexer(
    NpgsqlDataSource dataSource, IOptions<ObservationsOptions> options, ILogger<ObservationSearchIndexer> logger) : BackgroundService
{
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    private long _lastWrite = Stopwatch.GetTimestamp();

    /// <summary>Called when a write with new observations has committed.</summary>
    public void Wake()
    {
        Interlocked.Exchange(ref _lastWrite, Stopwatch.GetTimestamp());
        _wake.Writer.TryWrite(true);
    }

    /// <summary>Indexes every observation still without a vector, without pausing; returns how many it indexed.</summary>
    public async Task<int> IndexPendingAsync(CancellationToken cancellationToken = default)
    {
        var total = 0;
        int indexed;
        do
        {
            indexed = await IndexChunkAsync(cancellationToken);
            total += indexed;
        }
        while (indexed == options.Value.IndexChunkSize);

        return total;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.IndexSearchInBackground)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await WaitForSignalAsync(settings, stoppingToken);
                // A round pauses while batches keep arriving, but only for IndexMaxDelay in all.
                var round = Stopwatch.GetTimestamp();
                do
                {
                    await WaitForQuietAsync(settings, round, stoppingToken);
                }
                while (await IndexChunkAsync(stoppingToken) == settings.IndexChunkSize);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                Log.ObservationIndexingFailed(logger, e);
                await Task.Delay(TimeSpan.FromSeconds(5), stoppingToken);
            }
        }
    }

    private async Task<int> IndexChunkAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            $"""
            UPDATE observations o SET search = {ObservationSearch.VectorSql}
            WHERE o.id IN (SELECT id FROM observations WHERE search IS NULL ORDER BY created_at LIMIT @limit FOR UPDATE SKIP LOCKED)
            """,
            new { limit = options.Value.IndexChunkSize },
            cancellationToken: cancellationToken));
    }

    /// <summary>Until a write signals, or the poll interval passes.</summary>
    private async Task WaitForSignalAsync(ObservationsOptions settings, CancellationToken stoppingToken)
    {
        using var poll = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        poll.CancelAfter(settings.IndexPollInterval);
        try
        {
            await _wake.Reader.ReadAsync(poll.Token);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            // The poll interval passed without a signal: look anyway.
        }
    }

    /// <summary>Until no batch has been written for the quiet period, or the round is older than the maximum delay.</summary>
    private async Task WaitForQuietAsync(ObservationsOptions settings, long round, CancellationToken stoppingToken)
    {
        while (true)
        {
            var quietFor = Stopwatch.GetElapsedTime(Interlocked.Read(ref _lastWrite));
            var waited = Stopwatch.GetElapsedTime(round);
            if (quietFor >= settings.IndexQuietPeriod || waited >= settings.IndexMaxDelay)
            {
                return;
            }

            var pause = settings.IndexQuietPeriod - quietFor;
            var left = settings.IndexMaxDelay - waited;
            await Task.Delay(pause < left ? pause : left, stoppingToken);
        }
    }
}
