using System.Collections.Concurrent;
using Cortex.SyncProtocol;
using Microsoft.AspNetCore.SignalR.Client;

namespace Cortex.Daemon.Sync;

/// <summary>
/// A caught-up replica's live change stream (<see cref="ISyncHub.StreamChanges"/>): batches arrive here as the server
/// sends them and wait for <see cref="SyncEngine"/>'s loop to apply them, so the replica keeps one writer. The stream
/// saves the head push and the pull that used to follow every commit.
/// </summary>
internal sealed class LiveChanges : IDisposable
{
    private readonly CancellationTokenSource _stop;
    private readonly ConcurrentQueue<ChangeBatch> _batches = new();
    private readonly Task _pump;

    private LiveChanges(HubConnection connection, PullRequest request, Action arrived, CancellationToken cancellationToken)
    {
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _pump = PumpAsync(connection, request, arrived);
    }

    /// <summary>False once the stream has ended, for whatever reason; the loop pulls and opens a new one.</summary>
    public bool Running => !_pump.IsCompleted;

    /// <summary>Why the stream failed (null while it runs, or when it ended normally or was stopped).</summary>
    public Exception? Failure { get; private set; }

    /// <summary>Opens the stream after <paramref name="request"/>'s cursor; <paramref name="arrived"/> is called for each
    /// batch and when the stream ends, from the connection's threads (it must not block).</summary>
    public static LiveChanges Open(HubConnection connection, PullRequest request, Action arrived, CancellationToken cancellationToken) =>
        new(connection, request, arrived, cancellationToken);

    public bool TryTake(out ChangeBatch batch) => _batches.TryDequeue(out batch!);

    public void Stop() => _stop.Cancel();

    public void Dispose()
    {
        _stop.Cancel();
        // The pump may still be unwinding on the token; the source goes once it has.
        _pump.ContinueWith(static (_, stop) => ((CancellationTokenSource)stop!).Dispose(), _stop, CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private async Task PumpAsync(HubConnection connection, PullRequest request, Action arrived)
    {
        await Task.Yield();
        try
        {
            await foreach (var batch in connection.StreamAsync<ChangeBatch>(nameof(ISyncHub.StreamChanges), request, _stop.Token))
            {
                _batches.Enqueue(batch);
                arrived();
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        catch (Exception exception)
        {
            Failure = exception;
        }
        finally
        {
            arrived();
        }
    }
}
