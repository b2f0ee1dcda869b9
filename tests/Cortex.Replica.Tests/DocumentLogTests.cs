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

    [Fact]
    public void The_sink_hears_of_a_body_under_its_entity_id()
    {
        var seen = new List<DocumentText>();
        using var replica = new TempReplica(new ReplicaOptions { ChangeSink = new DocumentSink(seen) });

        replica.Store.Documents.Append("thread:t1", [1], DocumentUpdateOrigin.Local, "edited");

        Assert.Equal([new DocumentText("t1", "edited")], seen);
    }

    [Fact]
    public void Held_documents_are_listed_and_deleted_one_by_one()
    {
        Documents.Append("thread:t1", [1], DocumentUpdateOrigin.Server, "one");
        Documents.Append("draft:d1", [2], DocumentUpdateOrigin.Local, "two");

        Assert.Equal(["draft:d1", "thread:t1"], Documents.ListDocumentIds());
        Documents.Delete("thread:t1");

        Assert.False(Documents.Contains("thread:t1"));
        Assert.Empty(Documents.GetUpdates("thread:t1"));
        Assert.True(Documents.Contains("draft:d1"));
    }

    [Fact]
    public void Deleting_an_entity_drops_the_document_of_its_body()
    {
        _replica.Store.ResetEpoch(1, "first sync");
        _replica.Store.ApplyBatch(Changes.Batch(0, 1, Changes.Thread(1, "t1")));
        Documents.Append("thread:t1", [1], DocumentUpdateOrigin.Server, "body");
        Documents.Append("thread:t2", [1], DocumentUpdateOrigin.Server, "other body");

        _replica.Store.ApplyBatch(Changes.Batch(1, 2, Changes.Delete(2, "thread", "t1")));

        Assert.Equal(["thread:t2"], Documents.ListDocumentIds());
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
