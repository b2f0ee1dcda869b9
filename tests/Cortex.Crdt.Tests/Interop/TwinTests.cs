using Cortex.Crdt.Tests.Support;

namespace Cortex.Crdt.Tests.Interop;

/// <summary>The same local operations on a C# doc and a yjs doc with the same client id produce identical update bytes.</summary>
[Collection(YjsCollection.Name)]
public sealed class TwinTests(YjsHarness yjs)
{
    public static TheoryData<int> Seeds() => [.. Enumerable.Range(1, 100)];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Local_operations_encode_like_yjs(int seed)
    {
        var rnd = new Random(seed);
        var cs = new CsPeer("cs", 7);
        var js = new JsPeer(yjs, $"twin-{seed}", 7);
        var observed = 0;
        for (var i = 0; i < 150; i++)
        {
            var op = RandomOps.Generate(rnd);
            cs.Op(op);
            js.Op(op);
            var expected = js.Drain();
            var actual = cs.Drain();
            observed += js.LastEvents.Count;
            Assert.Equal(js.LastEvents, cs.LastEvents);
            Assert.True(expected.Count == actual.Count, $"seed {seed} op {i} {op.ToJsonString()}: {expected.Count} vs {actual.Count} updates");
            for (var u = 0; u < expected.Count; u++)
            {
                Assert.True(
                    expected[u].AsSpan().SequenceEqual(actual[u]),
                    $"seed {seed} op {i} {op.ToJsonString()}\nyjs: {Convert.ToHexString(expected[u])}\n c#: {Convert.ToHexString(actual[u])}");
            }
        }

        Assert.True(observed > 0, $"seed {seed}: no events observed");
        Assert.Equal(js.Json(), cs.Json());
        Assert.Equal(js.StateAsUpdate(), cs.StateAsUpdate());
    }
}
