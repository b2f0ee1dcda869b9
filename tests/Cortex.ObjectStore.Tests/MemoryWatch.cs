namespace Cortex.ObjectStore.Tests;

/// <summary>Samples this process's resident memory while an operation runs and reports the peak growth.</summary>
internal sealed class MemoryWatch : IAsyncDisposable
{
    private readonly long _baseline;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampling;
    private long _peak;

    private MemoryWatch()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        _baseline = Environment.WorkingSet;
        _peak = _baseline;
        _sampling = SampleAsync();
    }

    public long PeakGrowthBytes => Interlocked.Read(ref _peak) - _baseline;

    public static MemoryWatch Start() => new();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _sampling;
        _stop.Dispose();
    }

    private async Task SampleAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(10));
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                var now = Environment.WorkingSet;
                if (now > Interlocked.Read(ref _peak))
                {
                    Interlocked.Exchange(ref _peak, now);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped by DisposeAsync.
        }
    }
}
