using Cortex.Crdt.Core;
using Cortex.Crdt.Encoding;
using Cortex.Crdt.Protocol;
using Cortex.Crdt.Tests.Support;

namespace Cortex.Crdt.Tests;

/// <summary>
/// Random bytes and mutated valid updates into every decoder: only <see cref="CrdtFormatException"/> may come out,
/// and no input allocates unboundedly (length fields are checked against the remaining input).
/// </summary>
public sealed class FuzzTests
{
    private const long MaxAllocationPerInput = 64L * 1024 * 1024;

    private static readonly Lazy<List<byte[]>> Seeds = new(BuildSeedUpdates);

    private static List<byte[]> BuildSeedUpdates()
    {
        var seeds = new List<byte[]>();
        var doc = new Doc(5);
        doc.Updated += (_, e) => seeds.Add(e.Update);
        var rnd = new Random(42);
        for (var i = 0; i < 60; i++)
        {
            RandomOps.Apply(doc, RandomOps.Generate(rnd));
        }

        seeds.Add(Y.EncodeStateAsUpdate(doc));
        seeds.Add(Y.MergeUpdates([seeds[3], seeds[10], seeds[20]]));
        seeds.Add(Y.EncodeStateVector(doc));
        var golden = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Golden", "vectors.json")));
        foreach (var v in golden.RootElement.EnumerateArray())
        {
            seeds.Add(Convert.FromBase64String(v.GetProperty("update").GetString()!));
        }

        return seeds;
    }

    private static readonly Action<byte[]>[] Decoders =
    [
        b => Y.ApplyUpdate(new Doc(1), b),
        b => Y.MergeUpdates([b, Seeds.Value[0]]),
        b => Y.MergeUpdates([Seeds.Value[^1], b]),
        b => Y.DiffUpdate(b, [1, 5, 3]),
        b => Y.DiffUpdate(Seeds.Value[^1], b),
        b => Y.EncodeStateVectorFromUpdate(b),
        b => Y.DecodeStateVector(b),
        b => Y.DecodeUpdate(b),
        b => SyncProtocol.HandleMessage(b, new Doc(1)),
        b => AnyEncoding.Read(new Lib0Reader(b)),
        b =>
        {
            // A doc that already holds state, so integration paths (splits, pending, deletes) are exercised.
            var doc = new Doc(9);
            Y.ApplyUpdate(doc, Seeds.Value[60]);
            Y.ApplyUpdate(doc, b);
            Y.EncodeStateAsUpdate(doc);
            doc.ToJson();
        },
    ];

    private static void Check(byte[] input, int seed, int round)
    {
        for (var d = 0; d < Decoders.Length; d++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                Decoders[d](input);
            }
            catch (CrdtFormatException)
            {
            }
            catch (Exception e)
            {
                Assert.Fail($"seed {seed} round {round} decoder {d}: {e.GetType().Name}: {e.Message}\ninput {Convert.ToHexString(input)}\n{e}");
            }

            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(allocated < MaxAllocationPerInput, $"seed {seed} round {round} decoder {d}: {allocated} bytes allocated for {input.Length} input bytes");
        }
    }

    public static TheoryData<int> FuzzSeeds() => [.. Enumerable.Range(1, 16)];

    [Theory]
    [MemberData(nameof(FuzzSeeds))]
    public void Random_bytes_only_raise_format_errors(int seed)
    {
        var rnd = new Random(seed);
        for (var round = 0; round < 400; round++)
        {
            var input = new byte[rnd.Next(0, 64)];
            rnd.NextBytes(input);

            // Small leading counts make it past the first checks more often.
            if (input.Length > 2 && rnd.Next(2) == 0)
            {
                input[0] = (byte)rnd.Next(4);
                input[1] = (byte)rnd.Next(6);
            }

            Check(input, seed, round);
        }
    }

    [Theory]
    [MemberData(nameof(FuzzSeeds))]
    public void Mutated_updates_only_raise_format_errors(int seed)
    {
        var rnd = new Random(seed * 7919);
        var seeds = Seeds.Value;
        for (var round = 0; round < 300; round++)
        {
            var input = seeds[rnd.Next(seeds.Count)].ToList();
            var mutations = 1 + rnd.Next(4);
            for (var m = 0; m < mutations && input.Count > 0; m++)
            {
                var pos = rnd.Next(input.Count);
                switch (rnd.Next(6))
                {
                    case 0:
                        input[pos] = (byte)rnd.Next(256);
                        break;
                    case 1:
                        input[pos] ^= (byte)(1 << rnd.Next(8));
                        break;
                    case 2:
                        input.RemoveRange(pos, Math.Min(input.Count - pos, 1 + rnd.Next(8)));
                        break;
                    case 3:
                        input.Insert(pos, (byte)rnd.Next(256));
                        break;
                    case 4:
                        input.RemoveRange(pos, input.Count - pos);
                        break;
                    default:
                        // Large varUint in the middle: a huge length or clock.
                        input.InsertRange(pos, [0xFF, 0xFF, 0xFF, 0xFF, 0x0F]);
                        break;
                }
            }

            Check([.. input], seed, round);
        }
    }

    [Fact]
    public void Huge_length_fields_are_rejected_before_allocating()
    {
        Assert.Throws<CrdtFormatException>(() => Y.ApplyUpdate(new Doc(1), MalformedUpdates.HugeStructCount));
        Assert.Throws<CrdtFormatException>(() => Y.DecodeStateVector([0xFF, 0xFF, 0xFF, 0x7F]));
        Assert.Throws<CrdtFormatException>(() => AnyEncoding.Read(new Lib0Reader([119, 0xFF, 0xFF, 0x7F])));
        Assert.Throws<CrdtFormatException>(() => new Lib0Reader([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F]).ReadVarUint());
    }

    [Fact]
    public void Deeply_nested_types_are_refused_instead_of_overflowing_the_stack()
    {
        var update = MalformedUpdates.DeeplyNestedMaps(100_000);
        var doc = new Doc(2);
        Assert.Throws<CrdtFormatException>(() => Y.ApplyUpdate(doc, update));
        doc.ToJson();
    }
}
