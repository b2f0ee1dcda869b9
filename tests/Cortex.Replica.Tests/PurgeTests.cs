using Cortex.SyncProtocol;
using static Cortex.Replica.Tests.Changes;

namespace Cortex.Replica.Tests;

public sealed class PurgeTests : IDisposable
{
    private readonly TempReplica _replica = new();

    public PurgeTests()
    {
        Store.ResetEpoch(1, "first sync");
        Store.ApplyBatch(Batch(0, 10,
            Upsert(1, "subcortex", "sc-1", """{"slug":"ops","name":"Ops"}""", subcortex: "sc-1"),
            Thread(2, "t1", subcortex: "sc-1"),
            Upsert(3, "comment", "c1", """{"threadId":"t1"}""", subcortex: "sc-1"),
            Thread(4, "t2", subcortex: "sc-2"),
            Upsert(5, "notification", "n1", """{"kind":"mention"}""", subcortex: null),
            Upsert(6, "gadget", "g1", """{}""", subcortex: "sc-1")));
        Store.Documents.Append("t1", [1], DocumentUpdateOrigin.Server, "body of t1");
    }

    private ReplicaStore Store => _replica.Store;

    [Fact]
    public void Purging_entities_drops_them_their_documents_and_their_index_entries()
    {
        var result = Store.Purge(Purge(10, entities: [new EntityRef { Entity = "thread", EntityId = "t1" }]));

        Assert.Equal(new PurgeResult(1, 1), result);
        Assert.Null(Store.GetJson("thread", "t1"));
        Assert.Null(Store.Documents.GetText("t1"));
        Assert.DoesNotContain(("thread", "t1"), _replica.ShadowIndex().Keys);
        Assert.NotNull(Store.GetJson("thread", "t2"));
    }

    [Fact]
    public void Purging_a_subcortex_drops_everything_it_governs_and_the_subcortex_itself()
    {
        var result = Store.Purge(Purge(10, scopes: [new PurgeScope { Kind = PurgeScopeKind.Subcortex, Id = "sc-1" }]));

        Assert.Equal(4, result.ItemsDeleted);
        Assert.Equal([("notification", "n1"), ("thread", "t2")], _replica.Rows().Keys.Order());
        Assert.Equal([("notification", "n1"), ("thread", "t2")], _replica.ShadowIndex().Keys.Order());
    }

    [Fact]
    public void Purging_an_entity_kind_drops_all_of_it()
    {
        Store.Purge(Purge(10, scopes: [new PurgeScope { Kind = PurgeScopeKind.EntityKind, Id = "notification" }, new PurgeScope { Kind = PurgeScopeKind.EntityKind, Id = "gadget" }]));

        Assert.Equal(0, Store.GetStatus().ItemCounts["notification"]);
        Assert.Null(Store.GetJson("gadget", "g1"));
    }

    [Fact]
    public void A_purge_ahead_of_the_cursor_fences_off_late_changes_below_its_position()
    {
        Store.Purge(Purge(30, entities: [new EntityRef { Entity = "thread", EntityId = "t2" }], scopes: [new PurgeScope { Kind = PurgeScopeKind.Subcortex, Id = "sc-1" }]));

        // Computed before the purge, delivered after it.
        Store.ApplyBatch(Batch(10, 20, Thread(12, "t2", "late", subcortex: "sc-2"), Thread(13, "t3", subcortex: "sc-1"), Thread(14, "t4", subcortex: "sc-3")));
        Assert.Null(Store.GetJson("thread", "t2"));
        Assert.Null(Store.GetJson("thread", "t3"));
        Assert.NotNull(Store.GetJson("thread", "t4"));

        // Access regained later (at or past the purge position) is honoured, and the fences are gone once passed.
        Store.ApplyBatch(Batch(20, 40, Thread(35, "t2", "back", subcortex: "sc-2", version: 3)));
        Assert.Contains("back", Store.GetJson("thread", "t2"), StringComparison.Ordinal);
        Assert.Equal(0, _replica.Query<long>("SELECT count(*) FROM purge_fences"));
    }

    [Fact]
    public void A_purge_of_another_epoch_is_refused()
    {
        Assert.Throws<EpochMismatchException>(() => Store.Purge(Purge(10, entities: [new EntityRef { Entity = "thread", EntityId = "t1" }]) with { Epoch = 7 }));
        Assert.NotNull(Store.GetJson("thread", "t1"));
    }

    [Fact]
    public void Purging_what_the_replica_does_not_hold_is_harmless()
    {
        var result = Store.Purge(Purge(10, entities: [new EntityRef { Entity = "thread", EntityId = "nope" }]));

        Assert.Equal(new PurgeResult(0, 0), result);
        Assert.Equal(6, _replica.Rows().Count);
    }

    public void Dispose() => _replica.Dispose();

    private static PurgeInstruction Purge(long at, EntityRef[]? entities = null, PurgeScope[]? scopes = null) => new()
    {
        Epoch = 1,
        AtPosition = at,
        Entities = entities ?? [],
        Scopes = scopes ?? [],
        Reason = "access shrank",
    };
}
