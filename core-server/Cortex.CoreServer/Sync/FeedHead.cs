namespace Cortex.CoreServer.Sync;

/// <summary>
/// The newest feed head this instance has heard of (from <see cref="FeedListener"/>), and a way to wait for it to pass
/// a position. Live change streams wait here instead of polling. A waiter is also woken when the listener reconnects,
/// because notifications sent while it was away are lost and only a fresh read can tell what changed.
/// </summary>
internal sealed class FeedHead
{
    private readonly Lock _gate = new();
    private long _head;
    private TaskCompletionSource _advanced = NewSignal();

    public void Advance(long head)
    {
        lock (_gate)
        {
            if (head <= _head)
            {
                return;
            }

            _head = head;
        }

        Wake();
    }

    /// <summary>Wakes every waiter without a new head (the listener reconnected: something may have been missed).</summary>
    public void Wake()
    {
        TaskCompletionSource woken;
        lock (_gate)
        {
            woken = _advanced;
            _advanced = NewSignal();
        }

        woken.TrySetResult();
    }

    /// <summary>
    /// Completes when the head passes <paramref name="position"/>, when the listener reconnects, or after
    /// <paramref name="atMost"/>, whichever comes first; the caller re-reads the feed in every case.
    /// </summary>
    public async Task WaitBeyondAsync(long position, TimeSpan atMost, TimeProvider time, CancellationToken cancellationToken)
    {
        Task signal;
        lock (_gate)
        {
            if (_head > position)
            {
                return;
            }

            signal = _advanced.Task;
        }

        try
        {
            await signal.WaitAsync(atMost, time, cancellationToken);
        }
        catch (TimeoutException)
        {
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
