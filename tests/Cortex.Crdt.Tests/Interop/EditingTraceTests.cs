using System.Text.Json.Nodes;
using Cortex.Crdt.Core;
using Cortex.Crdt.Tests.Support;

namespace Cortex.Crdt.Tests.Interop;

[Collection(YjsCollection.Name)]
public sealed class EditingTraceTests(YjsHarness yjs)
{
    [Theory]
    [InlineData("automerge-paper")]
    [InlineData("seph-blog1")]
    public void Sequential_trace_ends_at_end_content_and_encodes_like_yjs(string name)
    {
        var trace = EditingTrace.Load(name);
        var doc = new Doc(1);
        var text = doc.GetText("text");
        foreach (var txn in trace.Transactions)
        {
            doc.Transact(_ =>
            {
                foreach (var p in txn.Patches)
                {
                    if (p.Deleted > 0)
                    {
                        text.Delete(p.Position, p.Deleted);
                    }

                    if (p.Inserted.Length > 0)
                    {
                        text.Insert(p.Position, p.Inserted);
                    }
                }
            });
        }

        Assert.Equal(trace.EndContent, text.ToString());
        var ours = Y.EncodeStateAsUpdate(doc);
        var reply = yjs.Call("trace", new JsonObject { ["path"] = Path.Combine(YjsHarness.TracesDirectory, name + ".json.gz"), ["clientId"] = 1 });
        var theirs = Convert.FromBase64String(reply["update"]!.GetValue<string>());
        Assert.True(ours.AsSpan().SequenceEqual(theirs), $"{name}: {ours.Length} vs {theirs.Length} bytes\n{UpdateDump.FirstDifference(theirs, ours)}");

        var parsed = new Doc(2);
        Y.ApplyUpdate(parsed, ours);
        Assert.Equal(trace.EndContent, parsed.GetText("text").ToString());
        Assert.Equal(ours, Y.EncodeStateAsUpdate(parsed));
    }

    [Theory]
    [InlineData("clownschool")]
    [InlineData("friendsforever")]
    public void Concurrent_trace_converges_with_one_doc_per_agent(string name)
    {
        var trace = EditingTrace.Load(name);
        var agents = trace.Transactions.Max(t => t.Agent) + 1;
        var docs = Enumerable.Range(0, agents).Select(a => new Doc(a + 1)).ToArray();
        var seen = docs.Select(_ => new bool[trace.Transactions.Count]).ToArray();
        var updates = new byte[trace.Transactions.Count][];
        var captured = new byte[agents][];
        for (var a = 0; a < agents; a++)
        {
            var agent = a;
            docs[a].Updated += (_, e) =>
            {
                if (e.Origin == null)
                {
                    captured[agent] = e.Update;
                }
            };
        }

        for (var i = 0; i < trace.Transactions.Count; i++)
        {
            var txn = trace.Transactions[i];
            var doc = docs[txn.Agent];

            // Bring the agent's doc to exactly the merged state of the parents, applying missing history oldest first.
            var missing = new List<int>();
            var stack = new Stack<int>(txn.Parents);
            while (stack.Count > 0)
            {
                var p = stack.Pop();
                if (seen[txn.Agent][p])
                {
                    continue;
                }

                seen[txn.Agent][p] = true;
                missing.Add(p);
                foreach (var pp in trace.Transactions[p].Parents)
                {
                    stack.Push(pp);
                }
            }

            missing.Sort();
            foreach (var p in missing)
            {
                Y.ApplyUpdate(doc, updates[p], "remote");
            }

            var text = doc.GetText("text");
            captured[txn.Agent] = [];
            doc.Transact(_ =>
            {
                foreach (var patch in txn.Patches)
                {
                    if (patch.Deleted > 0)
                    {
                        text.Delete(patch.Position, patch.Deleted);
                    }

                    if (patch.Inserted.Length > 0)
                    {
                        text.Insert(patch.Position, patch.Inserted);
                    }
                }
            });
            updates[i] = captured[txn.Agent];
            seen[txn.Agent][i] = true;
        }

        var all = Y.MergeUpdates(updates);
        foreach (var doc in docs)
        {
            Y.ApplyUpdate(doc, all);
            Assert.False(doc.Store.HasPending);
            Assert.Equal(trace.EndContent, doc.GetText("text").ToString());
        }

        var reference = Y.EncodeStateAsUpdate(docs[0]);
        var js = yjs.Call("json", new JsonObject { ["update"] = Convert.ToBase64String(all), ["texts"] = new JsonArray("text") });
        Assert.Equal(trace.EndContent, JsonNode.Parse(js["json"]!.GetValue<string>())!["text"]!.GetValue<string>());
        foreach (var doc in docs)
        {
            Assert.Equal(Y.EncodeStateVector(docs[0]), Y.EncodeStateVector(doc));
            Assert.Equal(reference.Length, Y.EncodeStateAsUpdate(doc).Length);
        }
    }
}
