using System.Text.Json;
using Cortex.Daemon.LocalApi;
using Cortex.Daemon.Search;
using Cortex.Daemon.Tests.Seeding;
using Cortex.Replica;
using Cortex.SecretScanning;
using Cortex.SyncProtocol;

namespace Cortex.Daemon.Tests;

/// <summary>The search engine wired to a replica that was filled through the sync path (issue 5).</summary>
public sealed class SearchOverReplicaTests : IDisposable
{
    private readonly SeededWorkspace _workspace = new();
    private readonly WorkspaceSearch _search;

    public SearchOverReplicaTests() => _search = new WorkspaceSearch(_workspace.ReplicaFile, LazyEmbedder.Shared);

    [Fact]
    public void Canon_ranks_first_over_a_near_duplicate_observation()
    {
        // The observation retells the runbook and matches this wording better than the canon version does.
        var hits = _search.Search(new WorkspaceQuery("database host disk filled up, pg_archivecleanup and extend the volume"));

        Assert.Equal(SeededWorkspace.RunbookV2, hits[0].Id);
        Assert.Equal("canon", hits[0].Trust);
        Assert.Equal("Runbook: database disk full", hits[0].Title);
        Assert.Equal("ops", hits[0].Subcortex);
        Assert.Equal(SeededWorkspace.DuplicateObservation, hits[1].Id);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Quarantined_items_never_appear(bool keywordOnly)
    {
        var hits = _search.Search(new WorkspaceQuery("quick fix delete everything under pg_wal", Limit: 100, KeywordOnly: keywordOnly));

        Assert.NotEmpty(hits);
        Assert.DoesNotContain(hits, h => h.Id == SeededWorkspace.QuarantinedThread);
    }

    [Fact]
    public void Filters_restrict_by_subcortex_kind_trust_and_time()
    {
        Assert.All(_search.Search(new WorkspaceQuery("SQLITE_BUSY bootstrap", Subcortexes: ["sync"], Limit: 50)), h => Assert.Equal("sync", h.Subcortex));
        Assert.Equal([SeededWorkspace.DuplicateObservation],
            _search.Search(new WorkspaceQuery("disk full", Kinds: ["observation"])).Select(h => h.Id));
        Assert.Equal([SeededWorkspace.RunbookV2], _search.Search(new WorkspaceQuery("disk full", TrustLevels: ["canon"])).Select(h => h.Id));
        var may = _search.Search(new WorkspaceQuery("SQLITE_BUSY", Since: DateTimeOffset.Parse("2025-05-01T00:00:00Z"), Until: DateTimeOffset.Parse("2025-05-31T00:00:00Z")));
        Assert.Equal([SeededWorkspace.BusyComment, SeededWorkspace.BusyThread], may.Select(h => h.Id).Order(StringComparer.Ordinal));
        Assert.Throws<ArgumentException>(() => _search.Search(new WorkspaceQuery("disk", Kinds: ["page"])));
    }

    [Fact]
    public void Pending_local_writes_are_found_redacted_and_marked_until_decided()
    {
        string clientId;
        using (var replica = ReplicaStore.Open(_workspace.ReplicaFile, ReplicaSearchSink.ReplicaOptions()))
        {
            var payload = JsonSerializer.SerializeToElement(new
            {
                kind = "finding",
                text = "The flaky zebra-migration test needs AWS key AKIAQWERTYUIOPASDFGH rotated before it passes.",
            });
            var queued = OutboxWrites.Enqueue(replica, new WriteRequest(MutationKinds.CreateObservation, "subcortex", "ops", payload), new SecretScanner(), LazyEmbedder.Shared);
            clientId = queued.ClientId;
            Assert.Equal(1, queued.Redacted!["aws-access-key"]);
        }

        var hit = _search.Search(new WorkspaceQuery("zebra-migration"))[0];
        Assert.Equal(clientId, hit.Id);
        Assert.True(hit.Pending);
        Assert.Equal("ops", hit.Subcortex);
        Assert.DoesNotContain("AKIA", hit.Snippet, StringComparison.Ordinal);

        using (var replica = ReplicaStore.Open(_workspace.ReplicaFile, ReplicaSearchSink.ReplicaOptions()))
        {
            Assert.Contains("[REDACTED:aws-access-key]", System.Text.Encoding.UTF8.GetString(replica.Outbox.Get(clientId)!.Payload), StringComparison.Ordinal);
            replica.Outbox.NextBatch(10);
            replica.Outbox.RecordVerdicts([new MutationVerdict { ClientId = clientId, Outcome = VerdictOutcome.Rejected, ReasonCode = "not_found", Message = "no subcortex" }]);
        }

        Assert.DoesNotContain(_search.Search(new WorkspaceQuery("zebra-migration", Limit: 100)), h => h.Id == clientId);
    }

    [Fact]
    public void Purged_and_deleted_items_leave_the_index_in_the_same_transaction()
    {
        using (var replica = ReplicaStore.Open(_workspace.ReplicaFile, ReplicaSearchSink.ReplicaOptions()))
        {
            var epoch = replica.GetSyncState().Epoch;
            replica.Purge(new PurgeInstruction { Epoch = epoch, AtPosition = 100, Scopes = [new PurgeScope { Kind = PurgeScopeKind.Subcortex, Id = SeededWorkspace.Sync }], Entities = [] });
            var cursor = replica.GetSyncState().Cursor;
            replica.ApplyBatch(new ChangeBatch
            {
                Epoch = epoch, After = cursor, UpTo = cursor + 1, Head = cursor + 1,
                Changes = [new EntityChange { Position = cursor + 1, Entity = "observation", EntityId = SeededWorkspace.DuplicateObservation, Operation = ChangeOperation.Delete, Version = 2 }],
            });
        }

        var left = _search.Search(new WorkspaceQuery("SQLITE_BUSY", Limit: 50));
        Assert.NotEmpty(left);
        Assert.All(left, h => Assert.Equal("ops", h.Subcortex));
        Assert.DoesNotContain(_search.Search(new WorkspaceQuery("disk filled up pg_archivecleanup", Limit: 50)), h => h.Id == SeededWorkspace.DuplicateObservation);
    }

    [Fact]
    public void An_epoch_reset_empties_the_index_but_keeps_pending_local_writes()
    {
        string clientId;
        using (var replica = ReplicaStore.Open(_workspace.ReplicaFile, ReplicaSearchSink.ReplicaOptions()))
        {
            var payload = JsonSerializer.SerializeToElement(new { title = "Narwhal capacity plan", body = "Disk budget for the narwhal cluster." });
            clientId = OutboxWrites.Enqueue(replica, new WriteRequest(MutationKinds.CreateThread, "subcortex", "ops", payload), new SecretScanner(), embedder: null).ClientId;
            Assert.True(replica.ResetEpoch(replica.GetSyncState().Epoch + 1, "test").Performed);
        }

        Assert.Equal([clientId], _search.Search(new WorkspaceQuery("narwhal disk database SQLITE_BUSY", Limit: 100)).Select(h => h.Id));
    }

    public void Dispose() => _workspace.Dispose();
}
