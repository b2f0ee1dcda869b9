using System.Runtime.CompilerServices;
using Cortex.SyncProtocol;
using Microsoft.AspNetCore.SignalR;

namespace Cortex.CoreServer.Sync;

/// <summary>
/// The live change stream: the same pages as <see cref="PullChanges"/>, sent as soon as the feed's head passes the
/// stream's cursor, so a caught-up replica hears of a commit and receives it in one step instead of a head push
/// followed by a pull. Streams do not queue behind the connection's other invocations (SignalR runs them apart), and a
/// connection has at most one: a new stream ends the one before.
/// </summary>
internal sealed partial class SyncHub
{
    /// <summary>How long a quiet stream waits before reading the feed again anyway (a missed notification costs no more).</summary>
    public static readonly TimeSpan LiveStreamIdle = TimeSpan.FromSeconds(15);

    public async IAsyncEnumerable<ChangeBatch> StreamChanges(PullRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var connection = Hello() ?? throw new HubException("hello_required: call Hello first");
        using var stream = ((LiveStreamSlot)Context.Items[typeof(LiveStreamSlot)]!).Open(cancellationToken);
        // Only a pull's applied cursor confirms a purge (the replica pulls after applying one); the stream never claims
        // more than where it started, so an unconfirmed purge goes out again before each of its pages.
        var applied = request.Applied ?? request.After;
        var cursor = request.After;
        while (!stream.Token.IsCancellationRequested)
        {
            var batch = await ReadBatchAsync(connection, request with { After = cursor, Applied = applied }, stream.Token);
            if (batch.UpTo > cursor)
            {
                yield return batch;
                cursor = batch.UpTo;
            }

            if (!batch.HasMore)
            {
                await feedHead.WaitBeyondAsync(cursor, LiveStreamIdle, time, stream.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }
}

/// <summary>The one live stream a hub connection may have; opening another cancels it.</summary>
internal sealed class LiveStreamSlot
{
    private readonly Lock _gate = new();
    private Lease? _current;

    /// <summary>The stream's cancellation, linked to its invocation's; disposing the lease leaves the slot.</summary>
    public Lease Open(CancellationToken invocation)
    {
        var opened = new Lease(this, CancellationTokenSource.CreateLinkedTokenSource(invocation));
        lock (_gate)
        {
            // Under the lock, so the previous stream cannot be disposing its source at the same time.
            _current?.Source.Cancel();
            _current = opened;
        }

        return opened;
    }

    internal sealed class Lease(LiveStreamSlot slot, CancellationTokenSource source) : IDisposable
    {
        public CancellationTokenSource Source { get; } = source;

        public CancellationToken Token => Source.Token;

        public void Dispose()
        {
            lock (slot._gate)
            {
                if (slot._current == this)
                {
                    slot._current = null;
                }

                Source.Dispose();
            }
        }
    }
}
