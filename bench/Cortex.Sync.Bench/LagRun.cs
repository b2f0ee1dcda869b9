using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Cortex.Daemon.LocalApi;
using Npgsql;

namespace Cortex.Sync.Bench;

/// <summary>
/// Steady-state lag: threads written through the REST API at a fixed rate (open loop: each write starts on its
/// schedule, whatever the previous ones do) while the replica is polled for them. Lag = first seen in the replica −
/// the feed row's <c>committed_at</c> (same clock). Baseline in the same run: when a plain Postgres LISTEN on the feed
/// channel hears the same commits — the floor for any push-based propagation.
/// </summary>
internal static class LagRun
{
    public sealed record Result(List<double> ReplicaLagMs, List<double> NotifyLagMs, int Written, int Failed);

    public static async Task<Result> RunAsync(DaemonHost daemon, HttpClient api, NpgsqlDataSource dataSource, string slug, int rate, int seconds)
    {
        var seen = new ConcurrentDictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        var heard = new ConcurrentQueue<(long Position, DateTimeOffset At)>();
        using var stop = new CancellationTokenSource();
        var observer = Task.Factory.StartNew(() => Observe(daemon, seen, stop.Token), TaskCreationOptions.LongRunning);
        // The listening connection lives and dies inside its task, so it is never disposed while a wait is in flight.
        // Short timed waits rather than a cancelled one: cancelling WaitAsync can leave the connection mid-wait.
        var listeningStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var listening = Task.Run(async () =>
        {
            await using var listener = await dataSource.OpenConnectionAsync();
            listener.Notification += (_, e) => heard.Enqueue((long.Parse(e.Payload, CultureInfo.InvariantCulture), DateTimeOffset.UtcNow));
            await using (var listen = new NpgsqlCommand("LISTEN cortex_feed", listener))
            {
                await listen.ExecuteNonQueryAsync();
            }

            listeningStarted.SetResult();
            while (!stop.IsCancellationRequested)
            {
                await listener.WaitAsync(100);
            }
        });
        await Task.WhenAny(listeningStarted.Task, listening);
        await listeningStarted.Task.WaitAsync(TimeSpan.FromSeconds(30));

        var total = rate * seconds;
        var writes = new List<Task<string?>>(total);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < total; i++)
        {
            var due = TimeSpan.FromSeconds((double)i / rate);
            if (due > clock.Elapsed)
            {
                await Task.Delay(due - clock.Elapsed);
            }

            writes.Add(WriteAsync(api, slug, i));
        }

        var ids = (await Task.WhenAll(writes)).OfType<string>().ToList();
        var deadline = Stopwatch.StartNew();
        while (ids.Any(id => !seen.ContainsKey(id)) && deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(10);
        }

        await stop.CancelAsync();
        await observer;
        await listening;

        var committed = await CommittedAsync(dataSource, ids);
        var notified = heard.OrderBy(h => h.Position).ToList();
        var replicaLag = new List<double>();
        var notifyLag = new List<double>();
        foreach (var id in ids)
        {
            if (!committed.TryGetValue(id, out var commit))
            {
                continue;
            }

            if (seen.TryGetValue(id, out var at))
            {
                replicaLag.Add((at - commit.At).TotalMilliseconds);
            }

            var first = notified.FirstOrDefault(n => n.Position >= commit.Position);
            if (first.At != default)
            {
                notifyLag.Add((first.At - commit.At).TotalMilliseconds);
            }
        }

        return new Result(replicaLag, notifyLag, ids.Count, total - ids.Count);
    }

    /// <summary>Polls by rowid, which new rows receive in increasing order, so each poll reads only the new rows and the
    /// observer does not compete with the replica it measures.</summary>
    private static void Observe(DaemonHost daemon, ConcurrentDictionary<string, DateTimeOffset> seen, CancellationToken stop)
    {
        using var connection = daemon.Replica.OpenReadConnection();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT rowid, id FROM threads WHERE rowid > $after ORDER BY rowid";
        var after = command.Parameters.AddWithValue("$after", long.MaxValue);
        using (var start = connection.CreateCommand())
        {
            start.CommandText = "SELECT coalesce(max(rowid), 0) FROM threads";
            after.Value = (long)start.ExecuteScalar()!;
        }

        while (!stop.IsCancellationRequested)
        {
            var now = DateTimeOffset.UtcNow;
            var last = (long)after.Value!;
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    last = reader.GetInt64(0);
                    seen.TryAdd(reader.GetString(1), now);
                }
            }

            after.Value = last;
            Thread.Sleep(1);
        }
    }

    private static async Task<string?> WriteAsync(HttpClient api, string slug, int i)
    {
        using var response = await api.PostAsJsonAsync(
            new Uri($"/api/v1/subcortexes/{slug}/threads", UriKind.Relative),
            new { title = $"Lag probe {i}", body = $"Written at step {i} of the steady-state run." });
        if (!response.IsSuccessStatusCode)
        {
            return null;
        }

        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        return created.GetProperty("id").GetString();
    }

    private static async Task<Dictionary<string, (long Position, DateTimeOffset At)>> CommittedAsync(NpgsqlDataSource dataSource, List<string> ids)
    {
        var result = new Dictionary<string, (long, DateTimeOffset)>(StringComparer.Ordinal);
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var command = new NpgsqlCommand(
            "SELECT entity_id, position, committed_at FROM changes WHERE entity = 'thread' AND operation = 'created' AND entity_id = ANY(@ids)", connection);
        command.Parameters.AddWithValue("ids", ids.ToArray());
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            result[reader.GetString(0)] = (reader.GetInt64(1), reader.GetFieldValue<DateTimeOffset>(2));
        }

        return result;
    }
}
