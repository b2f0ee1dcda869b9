using System.Globalization;
using Cortex.Replica;
using Cortex.Replica.CrashHost;

// Usage: <replica path> <seed> <batch count> <gate batch index or -1>
// Applies the seeded feed from the replica's cursor on, printing "APPLY i" before and "DONE i" after each batch.
// At the gate batch it prints "IN-TX i" from inside the apply transaction and blocks until killed.
var path = args[0];
var seed = int.Parse(args[1], CultureInfo.InvariantCulture);
var feed = new CrashFeed(seed, int.Parse(args[2], CultureInfo.InvariantCulture));
var gate = int.Parse(args[3], CultureInfo.InvariantCulture);

using var store = ReplicaStore.Open(path, new ReplicaOptions { ChangeSink = new GatedSink(gate) });
if (store.GetSyncState().Epoch == 0)
{
    store.ResetEpoch(CrashFeed.Epoch, "first sync");
}

var first = (int)(store.GetSyncState().Cursor / CrashFeed.Width);
for (var i = first; i < feed.Batches.Count; i++)
{
    Console.WriteLine($"APPLY {i}");
    GatedSink.Current = i;
    store.ApplyBatch(feed.Batches[i]);
    if (i > 0 && store.ApplyBatch(feed.Batches[i - 1]).Outcome != ApplyOutcome.AlreadyApplied)
    {
        Console.WriteLine($"ERROR re-applying batch {i - 1} was not a no-op");
        return 2;
    }

    Console.WriteLine($"DONE {i}");
}

Console.WriteLine("FINISHED");
return 0;

internal sealed class GatedSink(int gate) : ShadowIndexSink
{
    public static int Current { get; set; } = int.MinValue;

    public override void OnChanges(ReplicaChangeSet changes, Microsoft.Data.Sqlite.SqliteTransaction transaction)
    {
        base.OnChanges(changes, transaction);
        if (Current == gate)
        {
            Console.WriteLine($"IN-TX {Current}");
            Console.ReadLine();
        }
    }
}
