using Cortex.Crdt.Tests.Support;

namespace Cortex.Crdt.Tests.Interop;

/// <summary>
/// Updates delivered in a random order, so that structs and deletes arrive before what they depend on: a C# doc and a
/// yjs doc fed the same sequence hold the same pending structs and pending delete sets at every step (same state
/// vector, same <c>encodeStateAsUpdate</c> bytes, which include what is pending) and end identical.
/// </summary>
[Collection(YjsCollection.Name)]
public sealed class PendingUpdatesTests(YjsHarness yjs)
{
    public static TheoryData<int> Seeds() => [.. Enumerable.Range(1, 30)];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Shuffled_updates_wait_as_pending_exactly_like_yjs(int seed)
    {
        var rnd = new Random(seed);
        var updates = Author(rnd, seed);
        var csReceiver = new CsPeer($"pending{seed}-cs", 7);
        var receiver = new TwinPeer(csReceiver, new JsPeer(yjs, $"pending{seed}-js", 7), seed);
        var order = Enumerable.Range(0, updates.Count).ToArray();
        rnd.Shuffle(order);

        var sawPendingStructs = false;
        var sawPendingDeletes = false;
        foreach (var index in order)
        {
            receiver.Apply(updates[index]);

            // Each call compares the C# doc with its yjs twin and fails naming the seed.
            receiver.HasPending();
            receiver.StateVector();
            receiver.StateAsUpdate();
            receiver.Json();
            sawPendingStructs |= csReceiver.Doc.Store.PendingStructs != null;
            sawPendingDeletes |= csReceiver.Doc.Store.PendingDeleteSet != null;
        }

        Assert.False(receiver.HasPending(), $"seed {seed}: still pending after every update arrived");
        Assert.True(sawPendingStructs, $"seed {seed}: the shuffled order never left structs pending");
        var reference = new CsPeer("reference", 8);
        foreach (var update in updates)
        {
            reference.Apply(update);
        }

        Assert.Equal(reference.Json(), receiver.Json());
        Assert.True(sawPendingDeletes, $"seed {seed}: the shuffled order never left deletes pending");
    }

    /// <summary>Three authors (yjs, C#, yjs) edit in turns and see each other's edits, so later updates depend on earlier ones.</summary>
    private List<byte[]> Author(Random rnd, int seed)
    {
        IPeer[] authors =
        [
            new JsPeer(yjs, $"pending{seed}-a", 100 + seed),
            new CsPeer($"pending{seed}-b", 4294967296L + seed),
            new JsPeer(yjs, $"pending{seed}-c", (1L << 53) - 1 - seed),
        ];
        var updates = new List<byte[]>();
        for (var round = 0; round < 40; round++)
        {
            authors[rnd.Next(authors.Length)].Op(RandomOps.Generate(rnd));

            // Receiving can emit local updates (yjs's formatting cleanup); pass those on too until everyone is quiet.
            bool emitted;
            do
            {
                emitted = false;
                for (var a = 0; a < authors.Length; a++)
                {
                    foreach (var update in authors[a].Drain())
                    {
                        emitted = true;
                        updates.Add(update);
                        foreach (var other in authors.Where((_, o) => o != a))
                        {
                            other.Apply(update);
                        }
                    }
                }
            }
            while (emitted);
        }

        return updates;
    }
}
