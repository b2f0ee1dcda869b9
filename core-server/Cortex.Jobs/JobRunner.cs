using System.Runtime.CompilerServices;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Cortex.Jobs;

/// <summary>
/// Takes jobs of the registered kinds and runs up to <see cref="JobRunnerOptions.Concurrency"/> at once, each in its
/// own DI scope under a lease it keeps alive. Idle, it sleeps until a <c>LISTEN cortex_jobs</c> notification, the
/// next scheduled job or lease expiry, or the poll interval, whichever comes first.
/// </summary>
public sealed class JobRunner(
    JobQueue queue,
    NpgsqlDataSource dataSource,
    IServiceScopeFactory scopes,
    IEnumerable<JobHandlerRegistration> registrations,
    IOptions<JobRunnerOptions> options,
    RetryBackoff backoff,
    ILogger<JobRunner> logger) : BackgroundService
{
    private const int MaxErrorLength = 8000;
    private static readonly TimeSpan MinimumWait = TimeSpan.FromMilliseconds(50);

    private readonly JobRunnerOptions _options = options.Value;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once the runner listens for notifications and takes jobs.</summary>
    public Task Ready => _ready.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var handlers = ResolveHandlers();
        if (handlers.Count == 0)
        {
            logger.NoHandlers(_options.WorkerId);
            _ready.TrySetResult();
            return;
        }

        if (_options.EnsureSchema)
        {
            await JobsSchema.EnsureAsync(dataSource, stoppingToken).ConfigureAwait(false);
        }

        var kinds = handlers.Keys.Order(StringComparer.Ordinal).ToArray();
        var wake = new WakeSignal();
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var listener = ListenAsync(handlers, wake, listening, stoppingToken);
        await listening.Task.WaitAsync(stoppingToken).ConfigureAwait(false);
        logger.RunnerReady(_options.WorkerId, _options.Concurrency, string.Join(", ", kinds));
        _ready.TrySetResult();

        // Every running job holds a slot until it has recorded its outcome.
        using var slots = new SemaphoreSlim(_options.Concurrency);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await slots.WaitAsync(stoppingToken).ConfigureAwait(false);
                var free = 1;
                while (free < _options.Concurrency && slots.Wait(0, CancellationToken.None))
                {
                    free++;
                }

                IReadOnlyList<JobLease> leases = [];
                var failed = false;
                try
                {
                    leases = await queue.DequeueAsync(_options.WorkerId, kinds, free, _options.LeaseDuration, stoppingToken)
                        .ConfigureAwait(false);
                }
                catch (Exception e) when (e is NpgsqlException or TimeoutException)
                {
                    logger.DequeueFailed(e);
                    failed = true;
                }
                finally
                {
                    if (leases.Count < free)
                    {
                        slots.Release(free - leases.Count);
                    }
                }

                foreach (var lease in leases)
                {
                    var handlerType = handlers[lease.Kind];
                    _ = Task.Run(
                        async () =>
                        {
                            try
                            {
                                await RunAsync(lease, handlerType, stoppingToken).ConfigureAwait(false);
                            }
                            finally
                            {
                                slots.Release();
                            }
                        },
                        CancellationToken.None);
                }

                if (failed)
                {
                    await wake.WaitAsync(_options.PollInterval, stoppingToken).ConfigureAwait(false);
                }
                else if (leases.Count < free)
                {
                    await IdleAsync(kinds, wake, stoppingToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: running jobs see the same token and hand themselves back.
        }

        for (var slot = 0; slot < _options.Concurrency; slot++)
        {
            await slots.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        }

        await listener.ConfigureAwait(false);
        logger.RunnerStopped(_options.WorkerId);
    }

    private Dictionary<string, Type> ResolveHandlers()
    {
        using var scope = scopes.CreateScope();
        var handlers = new Dictionary<string, Type>(StringComparer.Ordinal);
        foreach (var registration in registrations)
        {
            var handler = (IJobHandler)scope.ServiceProvider.GetRequiredService(registration.HandlerType);
            if (!handlers.TryAdd(handler.Kind, registration.HandlerType) && handlers[handler.Kind] != registration.HandlerType)
            {
                throw new InvalidOperationException(
                    $"Both {handlers[handler.Kind].Name} and {registration.HandlerType.Name} handle job kind '{handler.Kind}'.");
            }
        }

        return handlers;
    }

    private async Task IdleAsync(string[] kinds, WakeSignal wake, CancellationToken stoppingToken)
    {
        var wait = _options.PollInterval;
        try
        {
            var reaped = await queue.ReapExpiredLeasesAsync(stoppingToken).ConfigureAwait(false);
            if (reaped > 0)
            {
                logger.LeasesReaped(reaped);
            }

            if (await queue.TimeUntilNextDueAsync(kinds, stoppingToken).ConfigureAwait(false) is { } due && due < wait)
            {
                wait = due < MinimumWait ? MinimumWait : due;
            }
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            logger.DequeueFailed(e);
        }

        await wake.WaitAsync(wait, stoppingToken).ConfigureAwait(false);
    }

    private async Task RunAsync(JobLease lease, Type handlerType, CancellationToken stoppingToken)
    {
        using var jobSource = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        using var heartbeatSource = new CancellationTokenSource();
        var leaseLost = new StrongBox<bool>();
        var heartbeat = HeartbeatAsync(lease, jobSource, leaseLost, heartbeatSource.Token);
        Exception? failure = null;
        try
        {
            var scope = scopes.CreateAsyncScope();
            await using (scope.ConfigureAwait(false))
            {
                var handler = (IJobHandler)scope.ServiceProvider.GetRequiredService(handlerType);
                await handler.HandleAsync(JobContext.From(lease), jobSource.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e)
        {
            // The job's own failure (or its cancellation): recorded on the job below, never lost.
            failure = e;
        }
        finally
        {
            await heartbeatSource.CancelAsync().ConfigureAwait(false);
            await heartbeat.ConfigureAwait(false);
        }

        // Outcomes are recorded even while stopping; if the database is gone, the lease expires and the job returns.
        try
        {
            await RecordAsync(lease, failure, leaseLost.Value, stoppingToken.IsCancellationRequested).ConfigureAwait(false);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            logger.RecordFailed(lease.JobId, lease.Kind, e);
        }
    }

    private async Task RecordAsync(JobLease lease, Exception? failure, bool leaseLost, bool stopping)
    {
        if (leaseLost)
        {
            logger.LeaseLost(lease.JobId, lease.Kind, lease.Attempt);
            return;
        }

        if (failure is null)
        {
            if (!await queue.CompleteAsync(lease, CancellationToken.None).ConfigureAwait(false))
            {
                logger.LeaseLost(lease.JobId, lease.Kind, lease.Attempt);
            }

            return;
        }

        if (failure is OperationCanceledException && stopping)
        {
            await queue.ReleaseAsync(lease, CancellationToken.None).ConfigureAwait(false);
            logger.JobReleased(lease.JobId, lease.Kind);
            return;
        }

        var permanent = failure is PermanentJobFailureException;
        var delay = backoff.DelayAfter(lease.Attempt);
        var error = Truncate(failure.ToString());
        var state = await queue.FailAsync(lease, error, delay, permanent, CancellationToken.None).ConfigureAwait(false);
        if (state == JobState.Dead)
        {
            logger.JobDead(lease.JobId, lease.Kind, lease.Attempt, failure);
        }
        else if (state == JobState.Failed)
        {
            logger.JobFailed(lease.JobId, lease.Kind, lease.Attempt, delay, failure);
        }
        else
        {
            logger.LeaseLost(lease.JobId, lease.Kind, lease.Attempt);
        }
    }

    private async Task HeartbeatAsync(
        JobLease lease, CancellationTokenSource job, StrongBox<bool> leaseLost, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.EffectiveHeartbeat);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    if (!await queue.ExtendLeaseAsync(lease, _options.LeaseDuration, cancellationToken).ConfigureAwait(false))
                    {
                        leaseLost.Value = true;
                        await job.CancelAsync().ConfigureAwait(false);
                        return;
                    }
                }
                catch (Exception e) when (e is NpgsqlException or TimeoutException)
                {
                    // Try again at the next tick; the lease still has time left.
                    logger.HeartbeatFailed(lease.JobId, e);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The job finished.
        }
    }

    private async Task ListenAsync(
        Dictionary<string, Type> handlers, WakeSignal wake, TaskCompletionSource listening, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var connection = await dataSource.OpenConnectionAsync(stoppingToken).ConfigureAwait(false);
                await using (connection.ConfigureAwait(false))
                {
                    connection.Notification += (_, e) =>
                    {
                        if (handlers.ContainsKey(e.Payload))
                        {
                            wake.Set();
                        }
                    };
                    await using (var listen = new NpgsqlCommand("LISTEN cortex_jobs", connection))
                    {
                        await listen.ExecuteNonQueryAsync(stoppingToken).ConfigureAwait(false);
                    }

                    listening.TrySetResult();

                    // Jobs enqueued while we were not listening notified no one.
                    wake.Set();
                    while (true)
                    {
                        await connection.WaitAsync(stoppingToken).ConfigureAwait(false);
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or IOException)
            {
                // Polling goes on meanwhile; listening again is only about promptness.
                logger.ListenFailed(e);
                listening.TrySetResult();
                try
                {
                    await Task.Delay(_options.PollInterval, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private static string Truncate(string text) => text.Length <= MaxErrorLength ? text : text[..MaxErrorLength];
}
