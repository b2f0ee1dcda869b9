using System.Globalization;
using Xunit.Abstractions;

namespace Cortex.Replica.Tests;

/// <summary>
/// Random sequences of pulls, repeats, overlaps, gaps, stale batches, purges and epoch resets against a simple model:
/// after every step the replica holds exactly what the model says for its cursor, and the sink's index agrees.
/// Set CORTEX_TEST_SEED to replay a failing seed.
/// </summary>
public sealed class ModelPropertyTests(ITestOutputHelper output)
{
    private const int Seeds = 8;
    private const int Steps = 100;

    [Fact]
    public void The_replica_matches_the_model_after_random_batches_purges_and_resets()
    {
        var fixedSeed = Environment.GetEnvironmentVariable("CORTEX_TEST_SEED");
        var first = fixedSeed is null ? 20261127 : int.Parse(fixedSeed, CultureInfo.InvariantCulture);
        output.WriteLine($"seeds {first}..{first + (fixedSeed is null ? Seeds - 1 : 0)}");
        foreach (var seed in fixedSeed is null ? Enumerable.Range(0, Seeds).Select(i => unchecked(first + i)) : [first])
        {
            Run(seed);
        }
    }

    private static void Run(int seed)
    {
        var random = new Random(seed);
        var feed = new SimulatedFeed(random);
        using var replica = new TempReplica();
        var store = replica.Store;
        store.ResetEpoch(feed.Epoch, "first sync");
        var cursor = 0L;
        for (var step = 0; step < Steps; step++)
        {
            feed.Generate(random.Next(0, 6));
            var operation = random.Next(100);
            var context = $"seed {seed} (replay with CORTEX_TEST_SEED={seed}), step {step}, operation {operation}";
            long Upper() => Math.Min(feed.Head, cursor + random.Next(1, 15));
            switch (operation)
            {
                case < 45 when feed.Head > cursor:
                    var upTo = Upper();
                    Assert.Equal(ApplyOutcome.Applied, store.ApplyBatch(feed.Batch(cursor, upTo)).Outcome);
                    cursor = upTo;
                    break;
                case < 55 when cursor > 0:
                    var oldEnd = random.NextInt64(1, cursor + 1);
                    Assert.Equal(ApplyOutcome.AlreadyApplied, store.ApplyBatch(feed.Batch(random.NextInt64(0, oldEnd), oldEnd)).Outcome);
                    break;
                case < 65 when feed.Head > cursor:
                    var overlapEnd = Upper();
                    store.ApplyBatch(feed.Batch(Math.Max(0, cursor - random.Next(1, 10)), overlapEnd));
                    cursor = overlapEnd;
                    break;
                case < 72 when feed.Head > cursor + 1:
                    var gapStart = random.NextInt64(cursor + 1, feed.Head);
                    Assert.Throws<FeedGapException>(() => store.ApplyBatch(feed.Batch(gapStart, feed.Head)));
                    break;
                case < 80 when feed.Head > cursor:
                    var staleEnd = Upper();
                    store.ApplyBatch(feed.Batch(cursor, staleEnd, stale: true));
                    cursor = staleEnd;
                    break;
                case < 90:
                    store.Purge(feed.RevokeSomething());
                    break;
                case < 94:
                    Assert.Throws<EpochMismatchException>(() => store.ApplyBatch(feed.Batch(cursor, feed.Head, epoch: feed.Epoch + 1)));
                    break;
                case < 97:
                    Assert.True(store.ResetEpoch(feed.BumpEpoch(), "server reset").Performed, context);
                    cursor = 0;
                    break;
                default:
                    replica.Reopen();
                    store = replica.Store;
                    break;
            }

            AssertMatches(replica, feed, cursor, context);
        }
    }

    private static void AssertMatches(TempReplica replica, SimulatedFeed feed, long cursor, string context)
    {
        var state = replica.Store.GetSyncState();
        Assert.True(state.Cursor == cursor && state.Epoch == feed.Epoch, $"{context}: cursor {state.Cursor}/{cursor}, epoch {state.Epoch}/{feed.Epoch}");
        var expected = feed.Expected(cursor);
        var rows = replica.Rows();
        var missing = expected.Where(p => !rows.TryGetValue(p.Key, out var row) || row != p.Value).Select(p => p.Key).ToList();
        var extra = rows.Keys.Where(k => !expected.ContainsKey(k)).ToList();
        Assert.True(missing.Count == 0 && extra.Count == 0, $"{context}: missing or different {string.Join(", ", missing)}; extra {string.Join(", ", extra)}");
        var index = replica.ShadowIndex();
        Assert.True(index.Count == expected.Count && expected.All(p => index.GetValueOrDefault(p.Key) == p.Value.Version), $"{context}: the sink's index differs from the rows");
    }
}
