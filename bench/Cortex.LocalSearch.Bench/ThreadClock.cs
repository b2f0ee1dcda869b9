using System.Runtime.InteropServices;

namespace Cortex.LocalSearch.Bench;

/// <summary>
/// CPU time of the calling thread (Linux clock_gettime(CLOCK_THREAD_CPUTIME_ID)): a search runs on one thread, so
/// its CPU time is its latency minus the time spent waiting for a core, which on a shared box is most of the tail.
/// </summary>
internal static class ThreadClock
{
    private const int ThreadCpuTimeId = 3;

    public static bool Available { get; } = OperatingSystem.IsLinux();

    public static double NowMs()
    {
        if (!Available || ClockGetTime(ThreadCpuTimeId, out var time) != 0)
        {
            return double.NaN;
        }

        return (time.Seconds * 1e3) + (time.Nanoseconds / 1e6);
    }

    // DllImport, not LibraryImport: the source-generated stub needs unsafe code, and this signature is blittable anyway.
    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out TimeSpec time);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
