namespace Cortex.Replica.Tests;

public sealed class DocumentLogTests : IDisposable
{
    private readonly TempReplica _replica = new();

    private DocumentLog Documents => _replica.Store.Documents;

    [Fact]
    public void Updates_append_in_order_and_the_text_is_what_the_caller_materialized()
    {
        Assert.Equal(1, Documents.Append("d1", [1], DocumentUpdateOrigin.Server, "a"));
        Assert.Equal(2, Documents.Append("d1", [2, 2], DocumentUpdateOrigin.Local));

        Assert.Equal([[1], [2, 2]], Documents.GetUpdates("d1"));
        Assert.Equal("a", Documents.GetText("d1"));

        Documents.SetText("d1", "ab");
        Assert.Equal("ab", Documents.GetText("d1"));
    }

    [Fact]
    public void Compaction_replaces_the_log_by_one_merged_update()
    {
        Documents.Append("d1", [1], DocumentUpdateOrigin.Server);
        Documents.Append("d1", [2], DocumentUpdateOrigin.Server);

        Documents.Compact("d1", [9, 9], "merged");

        Assert.Equal([[9, 9]], Documents.GetUpdates("d1"));
        Assert.Equal("merged", Documents.GetText("d1"));
        Assert.Equal(2, Documents.Append("d1", [3], DocumentUpdateOrigin.Server));
    }

    [Fact]
    public void Documents_survive_reopening()
    {
        Documents.Append("d1", [1, 2, 3], DocumentUpdateOrigin.Local, "text");

        _replica.Reopen();

        Assert.Equal([[1, 2, 3]], _replica.Store.Documents.GetUpdates("d1"));
        Assert.Equal("text", _replica.Store.Documents.GetText("d1"));
    }

    [Fact]
    public void Text_changes_reach_the_sink_inside_the_transaction()
    {
        var seen = new List<DocumentText>();
        using var replica = new TempReplica(new ReplicaOptions { ChangeSink = new DocumentSink(seen) });

        replica.Store.Documents.Append("d1", [1], DocumentUpdateOrigin.Server, "one");
        replica.Store.Documents.Append("d1", [2], DocumentUpdateOrigin.Server);
        replica.Store.Documents.SetText("d1", "two");
        replica.Store.Documents.Compact("d1", [3], "three");

        Assert.Equal(["one", "two", "three"], seen.Select(d => d.Text));
    }

    public void Dispose() => _replica.Dispose();

    private sealed class DocumentSink(List<DocumentText> seen) : IReplicaChangeSink
    {
        public void OnChanges(ReplicaChangeSet changes, Microsoft.Data.Sqlite.SqliteTransaction transaction)
        {
            Assert.NotNull(transaction.Connection);
            seen.AddRange(changes.Documents);
        }
    }
}
