using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Threading.Channels;
using Cortex.Daemon.Workspace;
using Cortex.Replica;
using Cortex.SyncProtocol;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cortex.Daemon.Sync;

/// <summary>
/// Keeps the replica in sync with the server: connect and hello, pull until caught up (the bootstrap is the same pull
/// loop from cursor 0, one SQLite transaction per batch), then follow the live change stream (<see cref="LiveChanges"/>;
/// while it is down, pull again on every head-advanced push), upload the outbox in order with backoff, report health on a
/// heartbeat, and reconnect with backoff when anything breaks. One loop does all of it, so the replica sees one writer
/// and no two pulls race. A pull still runs every poll interval and whenever a caller waits to be caught up.
/// </summary>
internal sealed class SyncEngine(
    ReplicaStore replica,
    DaemonSettings settings,
    SyncEngineOptions options,
    TimeProvider time,
    DocumentSync documents,
    ILogger<SyncEngine> logger) : BackgroundService
{
    private readonly Channel<bool> _kick = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly System.Collections.Concurrent.ConcurrentQueue<PurgeInstruction> _purges = new();
    private EpochReset? _pendingReset;
    private long _roundsStarted;
    private long _lastCompletedRound;
    private long _heardHead;
    private long _recordedHead;
    private int _pullWanted;
    private LiveChanges? _live;
    private DateTimeOffset _liveRetryAt;

    public bool Connected { get; private set; }

    public string? PrincipalId { get; private set; }

    /// <summary>True while the live change stream is open (it is once a pull has caught up).</summary>
    public bool Live => _live is { Running: true };

    public string? LastError { get; private set; }

    /// <summary>Set when the server refused this client for good (incompatible protocol); the engine stops trying.</summary>
    public string? FatalError { get; private set; }

    public Uri ServerUrl => settings.ServerUrl;

    /// <summary>Wakes the loop: something to pull, apply or upload.</summary>
    public void Kick() => _kick.Writer.TryWrite(true);

    /// <summary>Wakes the loop for a pull, which runs even while the live stream is flowing.</summary>
    private void RequestPull()
    {
        Interlocked.Exchange(ref _pullWanted, 1);
        Kick();
    }

    /// <summary>
    /// Completes once a pull that started after this call has finished with nothing more to fetch, the outbox is drained
    /// and the replica shows this replica's accepted writes (read-your-writes horizon reached).
    /// </summary>
    public async Task WaitCaughtUpAsync(CancellationToken cancellationToken)
    {
        var required = Interlocked.Read(ref _roundsStarted) + 1;
        RequestPull();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (FatalError is { } fatal)
            {
                throw new InvalidOperationException(fatal);
            }

            if (Connected && Interlocked.Read(ref _lastCompletedRound) >= required)
            {
                var status = replica.GetStatus();
                if (status.CaughtUp && status.Sync.Cursor >= replica.Outbox.ReadYourWritesHorizon())
                {
                    return;
                }

                required = Interlocked.Read(ref _roundsStarted) + 1;
                RequestPull();
            }

            await Task.Delay(TimeSpan.FromMilliseconds(25), time, cancellationToken);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested && FatalError is null)
        {
            try
            {
                await RunConnectionAsync(() => failures = 0, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (exception is HttpRequestException or HubException or IOException
                                                  or OperationCanceledException or InvalidOperationException
                                                  or TimeoutException or ReplicaSyncException or JsonException
                                                  or System.Net.WebSockets.WebSocketException)
            {
                Connected = false;
                LastError = OneLine(exception);
                var delay = Backoff(failures++);
                Log.ConnectionFailed(logger, LastError, delay);
                try
                {
                    await Task.Delay(delay, time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task RunConnectionAsync(Action connected, CancellationToken stoppingToken)
    {
        PrincipalId = await WhoAmIAsync(stoppingToken);
        replica.SetConnection(settings.ServerUrl.ToString(), PrincipalId);

        await using var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(settings.ServerUrl.ToString().TrimEnd('/') + SyncHubRoutes.Path), http =>
            {
                http.AccessTokenProvider = () => Task.FromResult<string?>(settings.ApiKey);
                http.Transports = HttpTransportType.WebSockets;
                http.SkipNegotiation = true;
                http.TransportMaxBufferSize = SyncHubRoutes.MaxBufferedBytes;
                http.ApplicationMaxBufferSize = SyncHubRoutes.MaxBufferedBytes;
            })
            .AddMessagePackProtocol(protocol => protocol.SerializerOptions = SyncSerializer.Options)
            .Build();
        connection.ServerTimeout = TimeSpan.FromSeconds(30);
        // Handlers run on the connection's message loop, which a slow handler holds up (a synchronous SQLite commit per
        // push did, at hundreds of pushes a second): no disk work here. The loop records the head before it pulls.
        connection.On<HeadAdvanced>(nameof(ISyncClient.HeadAdvanced), message =>
        {
            RaiseHeardHead(message.Head);
            // A flowing stream brings the change itself; a pull now would only hold up its batches.
            if (_live is not { Running: true })
            {
                Kick();
            }
        });
        // Applied by the loop before the batch that follows it, so a purge that fails fails the batch too and the
        // server, seeing the cursor not move, sends it again.
        connection.On<PurgeInstruction>(nameof(ISyncClient.Purge), purge => _purges.Enqueue(purge));
        connection.On<EpochReset>(nameof(ISyncClient.EpochReset), reset =>
        {
            _pendingReset = reset;
            RequestPull();
        });
        connection.On<DocumentSyncMessage>(nameof(ISyncClient.DocumentUpdated), documents.OnServerUpdate);
        connection.Closed += _ =>
        {
            Kick();
            return Task.CompletedTask;
        };

        _purges.Clear();
        await connection.StartAsync(stoppingToken);
        var hello = await CallAsync(ct => connection.InvokeAsync<HelloResult>(nameof(ISyncHub.Hello), replica.CreateHello(options.ClientName), ct), stoppingToken);
        switch (hello.Status)
        {
            case HelloStatus.IncompatibleVersion:
                FatalError = $"incompatible protocol: {hello.Message}";
                LastError = FatalError;
                Log.Refused(logger, FatalError);
                return;
            case HelloStatus.PrincipalMismatch:
                throw new InvalidOperationException($"principal mismatch: {hello.Message}");
            case HelloStatus.ResetRequired:
                Reset(new EpochReset { NewEpoch = hello.Epoch, Reason = hello.Message ?? "the server requires a reset" });
                break;
        }

        replica.RecordHead(hello.Head);
        await documents.AttachAsync(connection, stoppingToken);
        Connected = true;
        LastError = null;
        connected();
        Log.Connected(logger, settings.ServerUrl, PrincipalId, hello.Head, replica.GetSyncState().Cursor);

        var nextHeartbeat = time.GetUtcNow();
        var nextPoll = time.GetUtcNow();
        _liveRetryAt = DateTimeOffset.MinValue;
        try
        {
            while (!stoppingToken.IsCancellationRequested && connection.State == HubConnectionState.Connected)
            {
                if (Interlocked.Exchange(ref _pendingReset, null) is { } reset)
                {
                    StopLive();
                    Reset(reset);
                }

                ApplyLive();
                var live = _live is { Running: true };
                if (!live || Interlocked.Exchange(ref _pullWanted, 0) == 1 || time.GetUtcNow() >= nextPoll)
                {
                    try
                    {
                        await PullAsync(connection, stoppingToken);
                    }
                    finally
                    {
                        // After the pull, not before it on the path that sets lag: it is a commit, and the pull's batch usually
                        // records a newer head anyway. Also when the pull fails, so status shows how far behind the replica is.
                        RecordHeardHead();
                    }

                    nextPoll = time.GetUtcNow() + options.PollInterval;
                }

                if (!live)
                {
                    OpenLive(connection, stoppingToken);
                }

                var outboxWaiting = await UploadAsync(connection, stoppingToken);
                if (time.GetUtcNow() >= nextHeartbeat)
                {
                    var heartbeat = replica.GetStatus().ToHeartbeat();
                    await CallAsync(ct => connection.InvokeAsync(nameof(ISyncHub.Heartbeat), heartbeat, ct), stoppingToken);
                    nextHeartbeat = time.GetUtcNow() + options.HeartbeatInterval;
                }

                var wait = outboxWaiting ? TimeSpan.FromMilliseconds(500) : options.PollInterval;
                var nextDue = nextHeartbeat < nextPoll ? nextHeartbeat : nextPoll;
                wait = TimeSpan.FromTicks(Math.Min(wait.Ticks, Math.Max(0, (nextDue - time.GetUtcNow()).Ticks)));
                using var timeout = new CancellationTokenSource(wait, time);
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, stoppingToken);
                try
                {
                    await _kick.Reader.ReadAsync(linked.Token);
                }
                catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                {
                }
            }
        }
        finally
        {
            StopLive();
        }

        Connected = false;
        documents.Detach(connection);
        stoppingToken.ThrowIfCancellationRequested();
        throw new IOException("the sync connection closed");
    }

    private void RaiseHeardHead(long head)
    {
        long seen;
        do
        {
            seen = Interlocked.Read(ref _heardHead);
            if (head <= seen)
            {
                return;
            }
        }
        while (Interlocked.CompareExchange(ref _heardHead, head, seen) != seen);
    }

    private void RecordHeardHead()
    {
        var heard = Interlocked.Read(ref _heardHead);
        if (heard > _recordedHead)
        {
            replica.RecordHead(heard);
            _recordedHead = heard;
        }
    }

    /// <summary>
    /// Pulls until caught up. Each next page is asked for before the current one is applied, so the server reads and
    /// sends it while SQLite writes this one; the request's applied cursor stays at what the replica holds, so the
    /// server retires no purge the replica has not applied. Purges received meanwhile are applied before the batch, and
    /// their fences keep that batch's changes of the purged scope out.
    /// </summary>
    private async Task PullAsync(HubConnection connection, CancellationToken cancellationToken)
    {
        var round = Interlocked.Increment(ref _roundsStarted);
        var request = replica.CreatePullRequest(options.PullBatchSize);
        var applied = request.After;
        var pending = PullPageAsync(connection, request, cancellationToken);
        while (true)
        {
            var batch = await pending;
            Task<ChangeBatch>? next = batch.HasMore
                ? PullPageAsync(connection, request with { After = batch.UpTo, Applied = applied }, cancellationToken)
                : null;
            try
            {
                ApplyPurges();
                applied = Math.Max(applied, replica.ApplyBatch(batch).Cursor);
            }
            catch when (next is not null)
            {
                // The prefetched page is of no use now; observe it so its failure (if any) goes unreported, not unobserved.
                _ = next.ContinueWith(static t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
                throw;
            }

            if (batch.Progress is { } progress && batch.HasMore)
            {
                Log.BootstrapProgress(logger, progress.ItemsSent, progress.TotalEstimate);
            }

            if (next is null)
            {
                Interlocked.Exchange(ref _lastCompletedRound, round);
                return;
            }

            pending = next;
        }
    }

    private async Task<ChangeBatch> PullPageAsync(HubConnection connection, PullRequest request, CancellationToken cancellationToken)
    {
        try
        {
            return await CallAsync(ct => connection.InvokeAsync<ChangeBatch>(nameof(ISyncHub.PullChanges), request, ct), cancellationToken);
        }
        catch (HubException exception) when (exception.Message.Contains("epoch_mismatch", StringComparison.Ordinal))
        {
            // The epoch moved under us; a new hello answers with the epoch to reset to.
            throw new IOException("the server's epoch changed; reconnecting to re-bootstrap", exception);
        }
    }

    /// <returns>True when writes wait for a retry time, so the loop should come back soon.</returns>
    private async Task<bool> UploadAsync(HubConnection connection, CancellationToken cancellationToken)
    {
        while (true)
        {
            var batch = replica.Outbox.NextBatch(options.UploadBatchSize);
            if (batch.Count == 0)
            {
                return replica.Outbox.Summary().Depth > 0;
            }

            UploadResult result;
            try
            {
                var upload = new OutboxUpload { Mutations = batch };
                result = await CallAsync(ct => connection.InvokeAsync<UploadResult>(nameof(ISyncHub.Upload), upload, ct), cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                replica.Outbox.RecordFailure(batch.Select(m => m.ClientId), OneLine(exception));
                if (exception is HubException)
                {
                    return true;
                }

                throw;
            }

            replica.Outbox.RecordVerdicts(result.Verdicts);
            Log.Uploaded(logger, result.Verdicts.Count,
                result.Verdicts.Count(v => v.Outcome != VerdictOutcome.Rejected), result.Verdicts.Count(v => v.Outcome == VerdictOutcome.Rejected));
            var answered = result.Verdicts.Select(v => v.ClientId).ToHashSet(StringComparer.Ordinal);
            var missing = batch.Where(m => !answered.Contains(m.ClientId)).Select(m => m.ClientId).ToList();
            if (missing.Count > 0)
            {
                replica.Outbox.RecordFailure(missing, "the server gave no verdict");
            }

            // Accepted writes are visible at positions the next pull brings in.
            Kick();
        }
    }

    /// <summary>Applies what the live stream has brought. A batch that does not follow the cursor (a pull moved it past
    /// the stream, or the stream skipped) is never applied over a gap: the stream is dropped and reopened after a pull.</summary>
    private void ApplyLive()
    {
        if (_live is not { } live)
        {
            return;
        }

        while (live.TryTake(out var batch))
        {
            if (ApplyPurges())
            {
                // Only a pull's applied cursor confirms a purge to the server; the stream re-sends it until one does.
                RequestPull();
            }

            try
            {
                replica.ApplyBatch(batch);
            }
            catch (FeedGapException)
            {
                StopLive();
                RequestPull();
                return;
            }
        }
    }

    /// <summary>Opens the live stream from the cursor a pull has just caught up to, unless it is switched off or the last
    /// stream failed less than a poll interval ago (one that ended without failing is reopened at once).</summary>
    private void OpenLive(HubConnection connection, CancellationToken stoppingToken)
    {
        if (_live is { } ended)
        {
            if (ended.Failure is { } failure)
            {
                _liveRetryAt = time.GetUtcNow() + options.PollInterval;
                Log.LiveFailed(logger, OneLine(failure));
            }

            StopLive();
        }

        if (options.LiveStream && time.GetUtcNow() >= _liveRetryAt)
        {
            var request = replica.CreatePullRequest(options.PullBatchSize);
            _live = LiveChanges.Open(connection, request, Kick, stoppingToken);
            Log.LiveOpened(logger, request.After);
        }
    }

    private void StopLive()
    {
        _live?.Dispose();
        _live = null;
    }

    /// <returns>True when a purge was applied.</returns>
    private bool ApplyPurges()
    {
        var applied = false;
        while (_purges.TryDequeue(out var purge))
        {
            var result = replica.Purge(purge);
            Log.Purged(logger, result.ItemsDeleted, purge.Reason);
            applied = true;
        }

        return applied;
    }

    private void Reset(EpochReset reset)
    {
        var result = replica.ResetEpoch(reset.NewEpoch, reset.Reason);
        if (result.Performed)
        {
            Log.EpochReset(logger, reset.NewEpoch, reset.Reason);
        }

        if (result.LoopSuspected)
        {
            LastError = $"reset loop suspected: {result.RecentResets} epoch resets recently";
            Log.ResetLoop(logger, result.RecentResets);
        }
    }

    private async Task<string> WhoAmIAsync(CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = settings.ServerUrl, Timeout = options.CallTimeout };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", settings.ApiKey);
        using var response = await http.GetAsync(new Uri("api/v1/principals/me", UriKind.Relative), cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var problem = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new HttpRequestException($"the server answered {(int)response.StatusCode} to the key: {Detail(problem)}");
        }

        var me = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        return me.GetProperty("id").GetString() ?? throw new JsonException("principals/me has no id");
    }

    private async Task<T> CallAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.CallTimeout);
        return await call(timeout.Token);
    }

    private async Task CallAsync(Func<CancellationToken, Task> call, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.CallTimeout);
        await call(timeout.Token);
    }

    private TimeSpan Backoff(int failures)
    {
        var cap = Math.Min(options.ReconnectMaxDelay.TotalMilliseconds, options.ReconnectBaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(failures, 16)));
        return TimeSpan.FromMilliseconds(cap / 2 + (Random.Shared.NextDouble() * cap / 2));
    }

    private static string Detail(string problem)
    {
        try
        {
            using var json = JsonDocument.Parse(problem);
            return json.RootElement.TryGetProperty("detail", out var detail) ? detail.GetString() ?? problem : problem;
        }
        catch (JsonException)
        {
            return problem;
        }
    }

    internal static string OneLine(Exception exception) => exception.Message.ReplaceLineEndings(" ");
}
