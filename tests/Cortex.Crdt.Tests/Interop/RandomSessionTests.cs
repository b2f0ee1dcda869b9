using System.Text.Json.Nodes;
using Cortex.Crdt.Tests.Support;

namespace Cortex.Crdt.Tests.Interop;

/// <summary>
/// Concurrent sessions mixing yjs and C# peers (like yjs's applyRandomTests): random operations, random delivery,
/// disconnects and reconnects with the sync protocol; at the end everyone has the same JSON, state vector and update bytes.
/// </summary>
[Collection(YjsCollection.Name)]
public sealed class RandomSessionTests(YjsHarness yjs)
{
    public static TheoryData<int, int> Cases()
    {
        var data = new TheoryData<int, int>();
        for (var seed = 1; seed <= 150; seed++)
        {
            // Target masks: text only, map only, array only, nested, XML only, everything.
            data.Add(seed, (seed % 6) switch { 0 => 0b00001, 1 => 0b00010, 2 => 0b00100, 3 => 0b01110, 4 => 0b10000, _ => 0b11111 });
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Mixed_peers_converge_byte_for_byte(int seed, int targetMask)
    {
        var session = new Session(yjs, seed);
        try
        {
            session.Run(targetMask, iterations: 200);
        }
        catch (Exception e) when (e is not Xunit.Sdk.XunitException)
        {
            throw new InvalidOperationException($"Replay with seed {seed}, mask {targetMask}: {e.Message}", e);
        }
    }

    private sealed class Session
    {
        private readonly Random _rnd;
        private readonly int _seed;
        private readonly List<IPeer> _peers = [];
        private readonly bool[] _online;
        private readonly Queue<byte[]>[,] _queues;
        private readonly List<byte[]> _allUpdates = [];
        private readonly YjsHarness _yjs;

        public Session(YjsHarness yjs, int seed)
        {
            _yjs = yjs;
            _seed = seed;
            _rnd = new Random(seed);
            var count = 3 + _rnd.Next(3);
            for (var i = 0; i < count; i++)
            {
                // Client ids cover small ids and ids beyond 32 bits (up to 2^53-1).
                long clientId = i switch { 0 => 0, 1 => (1L << 53) - 1 - seed, 2 => 4294967296L + seed, _ => i };
                var name = $"s{seed}-{i}";
                _peers.Add(i % 2 == 0
                    ? new TwinPeer(new JsPeer(yjs, name, clientId), new CsPeer(name, clientId), seed)
                    : new TwinPeer(new CsPeer(name, clientId), new JsPeer(yjs, name + "-twin", clientId), seed));
            }

            _online = [.. _peers.Select(_ => true)];
            _queues = new Queue<byte[]>[count, count];
            for (var r = 0; r < count; r++)
            {
                for (var s = 0; s < count; s++)
                {
                    _queues[r, s] = new Queue<byte[]>();
                }
            }
        }

        public void Run(int targetMask, int iterations)
        {
            for (var i = 0; i < iterations; i++)
            {
                var p = _rnd.NextDouble();
                if (p < 0.03)
                {
                    var who = _rnd.Next(_peers.Count);
                    if (_online[who])
                    {
                        Disconnect(who);
                    }
                    else
                    {
                        Reconnect(who);
                    }
                }
                else if (p < 0.05)
                {
                    FlushAll();
                }
                else if (p < 0.55)
                {
                    DeliverOne();
                }

                var peer = _rnd.Next(_peers.Count);
                _peers[peer].Op(RandomOps.Generate(_rnd, targetMask));
                Broadcast(peer);
            }

            for (var i = 0; i < _peers.Count; i++)
            {
                if (!_online[i])
                {
                    Reconnect(i);
                }
            }

            FlushAll();
            Compare();
        }

        private void Broadcast(int sender)
        {
            var updates = _peers[sender].Drain();
            _allUpdates.AddRange(updates);
            if (!_online[sender])
            {
                return;
            }

            foreach (var u in updates)
            {
                for (var r = 0; r < _peers.Count; r++)
                {
                    if (r != sender && _online[r])
                    {
                        _queues[r, sender].Enqueue(u);
                    }
                }
            }
        }

        private void Receive(int receiver, byte[] update)
        {
            _peers[receiver].Apply(update);

            // Remote updates are not re-broadcast, but local transactions they trigger (formatting cleanup) are.
            Broadcast(receiver);
        }

        private void DeliverOne()
        {
            var candidates = new List<(int R, int S)>();
            for (var r = 0; r < _peers.Count; r++)
            {
                for (var s = 0; s < _peers.Count; s++)
                {
                    if (_queues[r, s].Count > 0)
                    {
                        candidates.Add((r, s));
                    }
                }
            }

            if (candidates.Count == 0)
            {
                return;
            }

            var (rr, ss) = candidates[_rnd.Next(candidates.Count)];
            Receive(rr, _queues[rr, ss].Dequeue());
        }

        private void FlushAll()
        {
            while (true)
            {
                var any = false;
                for (var r = 0; r < _peers.Count; r++)
                {
                    for (var s = 0; s < _peers.Count; s++)
                    {
                        while (_queues[r, s].Count > 0)
                        {
                            any = true;
                            Receive(r, _queues[r, s].Dequeue());
                        }
                    }
                }

                if (!any)
                {
                    return;
                }
            }
        }

        private void Disconnect(int who)
        {
            _online[who] = false;
            for (var o = 0; o < _peers.Count; o++)
            {
                _queues[who, o].Clear();
                _queues[o, who].Clear();
            }
        }

        private void Reconnect(int who)
        {
            _online[who] = true;
            for (var o = 0; o < _peers.Count; o++)
            {
                if (o != who && _online[o])
                {
                    SyncPair(who, o);
                    SyncPair(o, who);
                }
            }
        }

        /// <summary>a sends step 1 to b, b answers with step 2, a applies it.</summary>
        private void SyncPair(int a, int b)
        {
            var step2 = _peers[b].HandleSync(_peers[a].SyncStep1());
            Assert.NotNull(step2);
            Assert.Null(_peers[a].HandleSync(step2!));
            Broadcast(a);
        }

        private byte[] Canonical(byte[] update)
        {
            var doc = new Core.Doc(1);
            Y.ApplyUpdate(doc, update);
            var cs = Y.EncodeStateAsUpdate(doc);
            var js = Convert.FromBase64String(_yjs.Call("canonical", new JsonObject { ["update"] = Convert.ToBase64String(update) })["update"]!.GetValue<string>());
            Assert.True(js.AsSpan().SequenceEqual(cs), $"seed {_seed}: C# and yjs re-encode differently\n{UpdateDump.FirstDifference(js, cs)}");
            return cs;
        }

        private void Compare()
        {
            var reference = _peers[0];
            var json = reference.Json();
            var sv = reference.StateVector();
            var state = Canonical(reference.StateAsUpdate());
            foreach (var peer in _peers)
            {
                Assert.False(peer.HasPending(), $"seed {_seed}: {peer.Name} has pending structs");
                Assert.True(json == peer.Json(), $"seed {_seed}: JSON of {peer.Name} differs\n{json}\n{peer.Json()}");
                Assert.True(sv.AsSpan().SequenceEqual(peer.StateVector()), $"seed {_seed}: state vector of {peer.Name} differs");

                // Struct boundaries (merged GC runs, split items) depend on each peer's history, in yjs too; the same
                // update applied to a fresh document encodes identically.
                var own = Canonical(peer.StateAsUpdate());
                Assert.True(state.AsSpan().SequenceEqual(own), $"seed {_seed}: canonical state of {peer.Name} differs from {reference.Name}\n{UpdateDump.FirstDifference(state, own)}");
            }

            // mergeUpdates over every update of the session: C# and yjs produce the same bytes, and it rebuilds the doc.
            var merged = Y.MergeUpdates(_allUpdates);
            var jsMerged = Convert.FromBase64String(_yjs.Call("merge", new JsonObject
            {
                ["updates"] = new JsonArray([.. _allUpdates.Select(u => (JsonNode)Convert.ToBase64String(u))]),
            })["update"]!.GetValue<string>());
            Assert.True(jsMerged.AsSpan().SequenceEqual(merged), $"seed {_seed}: mergeUpdates differs from yjs");
            // diffUpdate against a state vector taken halfway through, and encodeStateVectorFromUpdate, also match yjs.
            var partial = Y.MergeUpdates(_allUpdates.Take(_allUpdates.Count / 2).ToList());
            var partialSv = Y.EncodeStateVectorFromUpdate(partial);
            var jsSv = Convert.FromBase64String(_yjs.Call("svFromUpdate", new JsonObject { ["update"] = Convert.ToBase64String(partial) })["sv"]!.GetValue<string>());
            Assert.True(jsSv.AsSpan().SequenceEqual(partialSv), $"seed {_seed}: encodeStateVectorFromUpdate differs from yjs");
            var diff = Y.DiffUpdate(merged, partialSv);
            var jsDiff = Convert.FromBase64String(_yjs.Call("diff", new JsonObject
            {
                ["update"] = Convert.ToBase64String(merged),
                ["sv"] = Convert.ToBase64String(partialSv),
            })["update"]!.GetValue<string>());
            Assert.True(jsDiff.AsSpan().SequenceEqual(diff), $"seed {_seed}: diffUpdate differs from yjs\n{UpdateDump.FirstDifference(jsDiff, diff)}");

            var rebuilt = new CsPeer("rebuilt", 999);
            rebuilt.Apply(merged);
            Assert.False(rebuilt.HasPending(), $"seed {_seed}: rebuilt doc has pending structs");
            Assert.Equal(json, rebuilt.Json());
        }
    }
}
