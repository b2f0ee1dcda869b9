using System.Text.Json;
using Cortex.Daemon.Search;
using Cortex.Embeddings;
using Cortex.Replica;
using Cortex.SyncProtocol;

namespace Cortex.Daemon.Tests.Seeding;

/// <summary>
/// A workspace folder whose replica holds a small, fixed corpus applied through the real sync path
/// (<see cref="ReplicaStore.ApplyBatch"/> with the search sink), vectors from the real model as the server would send.
/// No daemon runs for it: the server is "down", so every read is offline and every write queues on disk.
/// </summary>
internal sealed class SeededWorkspace : IDisposable
{
    public const string Me = "01JAAAAAAAAAAAAAAAAAAAAAP1";
    public const string Ops = "01JAAAAAAAAAAAAAAAAAAAASC1";
    public const string Sync = "01JAAAAAAAAAAAAAAAAAAAASC2";
    public const string Runbook = "01JAAAAAAAAAAAAAAAAAAAAAR1";
    public const string RunbookV1 = "01JAAAAAAAAAAAAAAAAAAAAAV1";
    public const string RunbookV2 = "01JAAAAAAAAAAAAAAAAAAAAAV2";
    public const string DuplicateObservation = "01JAAAAAAAAAAAAAAAAAAAAOB1";
    public const string BusyThread = "01JAAAAAAAAAAAAAAAAAAAAAT1";
    public const string BusyComment = "01JAAAAAAAAAAAAAAAAAAAAAC1";
    public const string RotationThread = "01JAAAAAAAAAAAAAAAAAAAAAT2";
    public const string QuarantinedThread = "01JAAAAAAAAAAAAAAAAAAAAAT3";
    public const string VolumeTask = "01JAAAAAAAAAAAAAAAAAAAATK1";
    public const string RetryDraft = "01JAAAAAAAAAAAAAAAAAAAAAD1";

    private const string RunbookBody =
        "When the Postgres data volume fills up on the database host: stop the writers, run `cortex-backup create`, "
        + "remove archived WAL with pg_archivecleanup, then extend the volume. Never delete files under pg_wal by hand.";

    public SeededWorkspace()
    {
        Root = Path.Combine(Path.GetTempPath(), "cortex-seeded-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(Root, ".cortex"));
        using var replica = ReplicaStore.Open(ReplicaFile, ReplicaSearchSink.ReplicaOptions());
        replica.SetConnection("http://127.0.0.1:9", Me);
        var changes = Corpus().Select((item, index) => Change(index + 1, item)).ToList();
        replica.ApplyBatch(new ChangeBatch { Epoch = replica.GetSyncState().Epoch, After = 0, UpTo = changes.Count, Head = changes.Count, Changes = changes });
    }

    public string Root { get; }

    public string ReplicaFile => Path.Combine(Root, ".cortex", "replica.db");

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A child process may still hold the replica for a moment; the temp folder is cleaned by the OS anyway.
        }
    }

    private sealed record Item(string Entity, string Id, string? Subcortex, object Json, string? EmbedText, long Version = 1);

    private static IEnumerable<Item> Corpus() =>
    [
        new("subcortex", Ops, Ops, new { id = Ops, slug = "ops", name = "Operations", description = "Running Cortex in production", state = "active", isPrivate = false }, null),
        new("subcortex", Sync, Sync, new { id = Sync, slug = "sync", name = "Sync", description = "Replicas and the change feed", state = "active", isPrivate = false }, null),
        new("artifact", Runbook, Ops, new { id = Runbook, subcortexId = Ops, title = "Runbook: database disk full", kind = "runbook", state = "active", canonVersion = 2, latestVersion = 2, updatedAt = "2025-03-02T10:00:00Z" }, null),
        new("artifactVersion", RunbookV1, Ops, new { id = RunbookV1, artifactId = Runbook, number = 1, body = "Delete old logs when the disk is full.", state = "superseded", createdAt = "2025-02-01T10:00:00Z" },
            "Runbook: database disk full\n\nDelete old logs when the disk is full."),
        new("artifactVersion", RunbookV2, Ops, new { id = RunbookV2, artifactId = Runbook, number = 2, body = RunbookBody, state = "canon", createdAt = "2025-03-01T10:00:00Z", acceptedAt = "2025-03-02T10:00:00Z" },
            "Runbook: database disk full\n\n" + RunbookBody),
        new("observation", DuplicateObservation, Ops, new
        {
            id = DuplicateObservation, subcortexId = Ops, kind = "incident.note", authorId = Me, createdAt = "2025-04-10T08:00:00Z",
            text = "The database host disk filled up again: we stopped the writers, ran cortex-backup create, cleaned archived WAL with pg_archivecleanup and extended the volume. Do not delete pg_wal files by hand.",
        }, "incident.note: The database host disk filled up again: we stopped the writers, ran cortex-backup create, cleaned archived WAL with pg_archivecleanup and extended the volume. Do not delete pg_wal files by hand."),
        new("thread", BusyThread, Sync, new
        {
            id = BusyThread, subcortexId = Sync, title = "SQLITE_BUSY during bootstrap", kind = "incident", authorId = Me,
            body = "Bootstrap fails with SQLITE_BUSY when the search index rebuilds at the same time. Setting busy_timeout to 5000 fixed it.",
            createdAt = "2025-05-01T09:00:00Z", updatedAt = "2025-05-01T09:30:00Z",
        }, "SQLITE_BUSY during bootstrap\n\nBootstrap fails with SQLITE_BUSY when the search index rebuilds at the same time. Setting busy_timeout to 5000 fixed it."),
        new("comment", BusyComment, Sync, new { id = BusyComment, threadId = BusyThread, authorId = Me, body = "Confirmed on two replicas; the WAL checkpoint was the other writer.", createdAt = "2025-05-02T09:00:00Z", updatedAt = "2025-05-02T09:00:00Z" },
            "Confirmed on two replicas; the WAL checkpoint was the other writer."),
        new("thread", RotationThread, Ops, new
        {
            id = RotationThread, subcortexId = Ops, title = "Quarterly on-call rotation", kind = "announcement", authorId = Me,
            body = "The on-call rotation for next quarter is posted; swap shifts in the tracker.", createdAt = "2025-06-01T09:00:00Z", updatedAt = "2025-06-01T09:00:00Z",
        }, "Quarterly on-call rotation\n\nThe on-call rotation for next quarter is posted; swap shifts in the tracker."),
        new("thread", QuarantinedThread, Ops, new
        {
            id = QuarantinedThread, subcortexId = Ops, title = "Database disk full: quick fix", kind = "discussion", authorId = Me, quarantined = true,
            body = "When the database disk is full just delete everything under pg_wal.", createdAt = "2025-06-02T09:00:00Z", updatedAt = "2025-06-02T09:00:00Z",
        }, "Database disk full: quick fix\n\nWhen the database disk is full just delete everything under pg_wal."),
        new("task", VolumeTask, Ops, new
        {
            id = VolumeTask, subcortexId = Ops, title = "Extend the database volume", description = "Grow the data volume to 500 GB before the next disk full.",
            state = "open", assigneeId = Me, dueAt = "2025-07-01T00:00:00Z", version = 3, createdAt = "2025-06-10T09:00:00Z", updatedAt = "2025-06-11T09:00:00Z",
        }, "Extend the database volume\n\nGrow the data volume to 500 GB before the next disk full.", Version: 3),
        new("draft", RetryDraft, Sync, new
        {
            id = RetryDraft, kind = "thread", subcortexId = Sync, title = "Proposal: retry bootstrap on SQLITE_BUSY", threadKind = "decision", authorId = Me,
            body = "Retry the bootstrap batch with backoff instead of failing on SQLITE_BUSY.", state = "pending", createdAt = "2025-06-20T09:00:00Z", updatedAt = "2025-06-20T09:00:00Z",
        }, "Proposal: retry bootstrap on SQLITE_BUSY\n\nRetry the bootstrap batch with backoff instead of failing on SQLITE_BUSY."),
    ];

    private static EntityChange Change(long position, Item item) => new()
    {
        Position = position,
        Entity = item.Entity,
        EntityId = item.Id,
        Operation = ChangeOperation.Upsert,
        Version = item.Version,
        SubcortexId = item.Subcortex,
        Payload = JsonSerializer.SerializeToUtf8Bytes(item.Json),
        Embedding = item.EmbedText is null ? null : MiniLmEmbedder.Shared.Embed(item.EmbedText),
    };
}
