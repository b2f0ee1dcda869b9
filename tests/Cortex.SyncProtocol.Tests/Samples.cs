namespace Cortex.SyncProtocol.Tests;

/// <summary>One fixed instance per wire message, with every field set, pinned by a golden file each.</summary>
internal static class Samples
{
    private const string ReplicaId = "01JDQ6Y4ZK8W0S2G7M3T5V9XAB";
    private const string PrincipalId = "01JDQ6Y4ZK8W0S2G7M3T5V9XPR";

    public static IReadOnlyDictionary<string, object> All { get; } = new Dictionary<string, object>
    {
        [nameof(Hello)] = new Hello
        {
            ProtocolVersion = 1,
            PrincipalId = PrincipalId,
            ReplicaId = ReplicaId,
            Cursor = 4_294_967_296,
            Epoch = 3,
            ClientName = "cortexd/1.0.0",
        },
        [nameof(HelloResult)] = new HelloResult
        {
            Status = HelloStatus.IncompatibleVersion,
            ServerProtocolVersion = 1,
            MinimumSupportedVersion = 1,
            Epoch = 3,
            Head = 1200,
            Message = "protocol version 7 is not supported; this server speaks versions 1 to 1",
        },
        [nameof(PullRequest)] = new PullRequest { Epoch = 3, After = 1000, MaxChanges = 500, Applied = 900 },
        [nameof(EntityChange)] = Change,
        [nameof(BootstrapProgress)] = new BootstrapProgress { ItemsSent = 500, TotalEstimate = 100_000 },
        [nameof(ChangeBatch)] = new ChangeBatch
        {
            Epoch = 3,
            After = 1000,
            UpTo = 1010,
            Changes =
            [
                Change,
                Change with { Position = 1008, Embedding = null, PackedEmbedding = PackedEmbedding.Pack([0.25f, -1f, 0.5f]) },
                new EntityChange
                {
                    Position = 1009,
                    Entity = "comment",
                    EntityId = "01JDQ6Y4ZK8W0S2G7M3T5V9XCM",
                    Operation = ChangeOperation.Delete,
                    Version = 2,
                },
            ],
            HasMore = true,
            Head = 5000,
            Progress = new BootstrapProgress { ItemsSent = 2, TotalEstimate = 40 },
        },
        [nameof(HeadAdvanced)] = new HeadAdvanced { Epoch = 3, Head = 5001, CommittedAtUnixMs = 1_795_000_000_123 },
        [nameof(DocumentSyncMessage)] = new DocumentSyncMessage
        {
            DocumentId = "01JDQ6Y4ZK8W0S2G7M3T5V9XTH",
            Kind = DocumentMessageKind.SyncStep2,
            Payload = [0x01, 0x01, 0xb3, 0x8d, 0xf0, 0x0c, 0x00, 0x04, 0x01, 0x04, 0x62, 0x6f, 0x64, 0x79, 0x01, 0x61, 0x00],
        },
        [nameof(DocumentSyncAnswer)] = new DocumentSyncAnswer
        {
            Step2 = new DocumentSyncMessage
            {
                DocumentId = "thread:01JDQ6Y4ZK8W0S2G7M3T5V9XTH",
                Kind = DocumentMessageKind.SyncStep2,
                Payload = [0x01, 0x01, 0xb3, 0x8d, 0xf0, 0x0c, 0x00, 0x04, 0x01, 0x04, 0x62, 0x6f, 0x64, 0x79, 0x01, 0x61, 0x00],
            },
            ServerStep1 = new DocumentSyncMessage
            {
                DocumentId = "thread:01JDQ6Y4ZK8W0S2G7M3T5V9XTH",
                Kind = DocumentMessageKind.SyncStep1,
                Payload = [0x01, 0xb3, 0x8d, 0xf0, 0x0c, 0x01],
            },
            Writable = false,
            ReadOnlyReason = "the reader role may not UpdateThread here",
        },
        [nameof(AwarenessMessage)] = new AwarenessMessage
        {
            DocumentId = "draft:01JDQ6Y4ZK8W0S2G7M3T5V9XDR",
            Payload = [0x01, 0xb3, 0x8d, 0xf0, 0x0c, 0x01, 0x02, 0x7b, 0x7d],
        },
        [nameof(OutboxMutation)] = Mutation,
        [nameof(OutboxUpload)] = new OutboxUpload { Mutations = [Mutation] },
        [nameof(MutationVerdict)] = Verdict,
        [nameof(UploadResult)] = new UploadResult
        {
            Verdicts =
            [
                Verdict,
                new MutationVerdict
                {
                    ClientId = "01JDQ6Y4ZK8W0S2G7M3T5V9XD2",
                    Outcome = VerdictOutcome.Rejected,
                    ReasonCode = RejectionReasons.SecretDetected,
                    Message = "the body contains what looks like an AWS access key",
                },
            ],
        },
        [nameof(EntityRef)] = new EntityRef { Entity = "thread", EntityId = "01JDQ6Y4ZK8W0S2G7M3T5V9XTH" },
        [nameof(PurgeScope)] = new PurgeScope { Kind = PurgeScopeKind.Subcortex, Id = "01JDQ6Y4ZK8W0S2G7M3T5V9XSC" },
        [nameof(PurgeInstruction)] = new PurgeInstruction
        {
            Epoch = 3,
            AtPosition = 1200,
            Entities = [new EntityRef { Entity = "thread", EntityId = "01JDQ6Y4ZK8W0S2G7M3T5V9XTH" }],
            Scopes =
            [
                new PurgeScope { Kind = PurgeScopeKind.Subcortex, Id = "01JDQ6Y4ZK8W0S2G7M3T5V9XSC" },
                new PurgeScope { Kind = PurgeScopeKind.EntityKind, Id = "notification" },
            ],
            Reason = "subcortex made private",
        },
        [nameof(EpochReset)] = new EpochReset { NewEpoch = 4, Reason = "schema changed" },
        [nameof(Heartbeat)] = new Heartbeat
        {
            ReplicaId = ReplicaId,
            Cursor = 1010,
            LagPositions = 3990,
            LagSeconds = 1.5,
            OutboxDepth = 7,
            OldestPendingAgeSeconds = 42.25,
            SentAtUnixMs = 1_795_000_000_456,
        },
    };

    private static EntityChange Change => new()
    {
        Position = 1007,
        Entity = "thread",
        EntityId = "01JDQ6Y4ZK8W0S2G7M3T5V9XTH",
        Operation = ChangeOperation.Upsert,
        Version = 5,
        SubcortexId = "01JDQ6Y4ZK8W0S2G7M3T5V9XSC",
        Payload = "{\"id\":\"01JDQ6Y4ZK8W0S2G7M3T5V9XTH\",\"title\":\"Flaky deploy\"}"u8.ToArray(),
        Embedding = [0.25f, -1f, 0.5f],
        CommittedAtUnixMs = 1_795_000_000_000,
    };

    private static OutboxMutation Mutation => new()
    {
        ClientId = "01JDQ6Y4ZK8W0S2G7M3T5V9XD1",
        Kind = MutationKinds.CreateComment,
        TargetEntity = "thread",
        TargetId = "01JDQ6Y4ZK8W0S2G7M3T5V9XTH",
        Payload = "{\"body\":\"Seen again on runner 4\"}"u8.ToArray(),
        BaseVersion = 5,
        CreatedAtUnixMs = 1_795_000_000_789,
    };

    private static MutationVerdict Verdict => new()
    {
        ClientId = "01JDQ6Y4ZK8W0S2G7M3T5V9XD1",
        Outcome = VerdictOutcome.ConvertedToDraft,
        VisibleAt = 1011,
        EntityId = "01JDQ6Y4ZK8W0S2G7M3T5V9XCM",
        DraftId = "01JDQ6Y4ZK8W0S2G7M3T5V9XDR",
        ReasonCode = null,
        Message = "agent comments need review",
    };
}
