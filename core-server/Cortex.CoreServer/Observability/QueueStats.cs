using System.Diagnostics.Metrics;
using Cortex.Jobs;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Cortex.CoreServer.Observability;

/// <summary>
/// Job queue and review queue sizes for the gauges: read from Postgres before a scrape, at most once per
/// <see cref="MetricsOptions.StatsRefreshSeconds"/>, so scrapes stay cheap and the gauge callbacks never block.
/// </summary>
internal sealed class QueueStats(JobQueue jobs, NpgsqlDataSource dataSource, IOptions<MetricsOptions> options, TimeProvider time)
{
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private volatile Snapshot _snapshot = new([], 0, DateTimeOffset.MinValue);

    public long PendingDrafts => _snapshot.PendingDrafts;

    public IEnumerable<Measurement<long>> Jobs(Func<JobKindStats, long> value) =>
        _snapshot.Jobs.Select(s => new Measurement<long>(value(s), new KeyValuePair<string, object?>("kind", s.Kind)));

    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var maxAge = TimeSpan.FromSeconds(options.Value.StatsRefreshSeconds);
        if (time.GetUtcNow() - _snapshot.ReadAt < maxAge)
        {
            return;
        }

        await _refresh.WaitAsync(cancellationToken);
        try
        {
            if (time.GetUtcNow() - _snapshot.ReadAt < maxAge)
            {
                return;
            }

            var stats = await jobs.GetStatsAsync(cancellationToken);
            var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using (connection)
            {
                var pending = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                    "SELECT count(*) FROM drafts WHERE state = 'pending'", cancellationToken: cancellationToken));
                _snapshot = new Snapshot(stats, pending, time.GetUtcNow());
            }
        }
        finally
        {
            _refresh.Release();
        }
    }

    private sealed record Snapshot(IReadOnlyList<JobKindStats> Jobs, long PendingDrafts, DateTimeOffset ReadAt);
}
