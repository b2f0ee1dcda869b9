using CsCheck;

namespace Cortex.SyncProtocol.Tests;

internal static class Generators
{
    private static readonly Gen<string> Id = Gen.String[Gen.Char.AlphaNumeric, 0, 30];
    private static readonly Gen<string> Text = Gen.String;
    private static readonly Gen<byte[]> Bytes = Gen.Byte.Array[0, 64];

    public static readonly Gen<Hello> Hello = Gen.Select(Gen.Int, Id, Id, Gen.Long, Gen.Long, Text.Null(0.3),
        (version, principal, replica, cursor, epoch, name) => new Hello
        {
            ProtocolVersion = version,
            PrincipalId = principal,
            ReplicaId = replica,
            Cursor = cursor,
            Epoch = epoch,
            ClientName = name,
        });

    public static readonly Gen<HelloResult> HelloResult = Gen.Select(Gen.Enum<HelloStatus>(), Gen.Int, Gen.Int, Gen.Long, Gen.Long, Text.Null(0.3),
        (status, server, minimum, epoch, head, message) => new HelloResult
        {
            Status = status,
            ServerProtocolVersion = server,
            MinimumSupportedVersion = minimum,
            Epoch = epoch,
            Head = head,
            Message = message,
        });

    public static readonly Gen<EntityChange> EntityChange = Gen.Select(
        Gen.Long, Id, Id, Gen.Enum<ChangeOperation>(), Gen.Long, Id.Null(0.3), Bytes.Null(0.2), Gen.Float.Array[0, 8].Null(0.5), Gen.Long,
        (position, entity, entityId, operation, version, subcortex, payload, embedding, committed) => new EntityChange
        {
            Position = position,
            Entity = entity,
            EntityId = entityId,
            Operation = operation,
            Version = version,
            SubcortexId = subcortex,
            Payload = payload,
            Embedding = embedding,
            CommittedAtUnixMs = committed,
        });

    public static readonly Gen<ChangeBatch> ChangeBatch = Gen.Select(
        Gen.Long, Gen.Long, Gen.Long, EntityChange.Array[0, 5], Gen.Bool, Gen.Long,
        Gen.Select(Gen.Long, Gen.Long, (sent, total) => new BootstrapProgress { ItemsSent = sent, TotalEstimate = total }).Null(0.5),
        (epoch, after, upTo, changes, more, head, progress) => new ChangeBatch
        {
            Epoch = epoch,
            After = after,
            UpTo = upTo,
            Changes = changes,
            HasMore = more,
            Head = head,
            Progress = progress,
        });

    public static readonly Gen<DocumentSyncMessage> DocumentSyncMessage = Gen.Select(Id, Gen.Enum<DocumentMessageKind>(), Bytes,
        (id, kind, payload) => new DocumentSyncMessage { DocumentId = id, Kind = kind, Payload = payload });

    public static readonly Gen<DocumentSyncAnswer> DocumentSyncAnswer = Gen.Select(DocumentSyncMessage, DocumentSyncMessage, Gen.Bool, Text.Null(0.5),
        (step2, step1, writable, reason) => new DocumentSyncAnswer { Step2 = step2, ServerStep1 = step1, Writable = writable, ReadOnlyReason = reason });

    public static readonly Gen<AwarenessMessage> AwarenessMessage = Gen.Select(Id, Bytes,
        (id, payload) => new AwarenessMessage { DocumentId = id, Payload = payload });

    public static readonly Gen<OutboxMutation> OutboxMutation = Gen.Select(Id, Text, Id.Null(0.3), Id.Null(0.3), Bytes, Gen.Long.Nullable(0.5), Gen.Long,
        (clientId, kind, targetEntity, targetId, payload, baseVersion, created) => new OutboxMutation
        {
            ClientId = clientId,
            Kind = kind,
            TargetEntity = targetEntity,
            TargetId = targetId,
            Payload = payload,
            BaseVersion = baseVersion,
            CreatedAtUnixMs = created,
        });

    public static readonly Gen<MutationVerdict> MutationVerdict = Gen.Select(
        Id, Gen.Enum<VerdictOutcome>(), Gen.Long.Nullable(0.3), Id.Null(0.5), Id.Null(0.5), Text.Null(0.5), Text.Null(0.5),
        (clientId, outcome, visibleAt, entityId, draftId, reason, message) => new MutationVerdict
        {
            ClientId = clientId,
            Outcome = outcome,
            VisibleAt = visibleAt,
            EntityId = entityId,
            DraftId = draftId,
            ReasonCode = reason,
            Message = message,
        });

    public static readonly Gen<PurgeInstruction> PurgeInstruction = Gen.Select(
        Gen.Long, Gen.Long,
        Gen.Select(Id, Id, (entity, id) => new EntityRef { Entity = entity, EntityId = id }).Array[0, 4],
        Gen.Select(Gen.Enum<PurgeScopeKind>(), Id, (kind, id) => new PurgeScope { Kind = kind, Id = id }).Array[0, 3],
        Text.Null(0.5),
        (epoch, at, entities, scopes, reason) => new PurgeInstruction { Epoch = epoch, AtPosition = at, Entities = entities, Scopes = scopes, Reason = reason });

    public static readonly Gen<Heartbeat> Heartbeat = Gen.Select(Id, Gen.Long, Gen.Long, Gen.Double, Gen.Int, Gen.Double.Nullable(0.5), Gen.Long,
        (replica, cursor, lag, lagSeconds, depth, oldest, sent) => new Heartbeat
        {
            ReplicaId = replica,
            Cursor = cursor,
            LagPositions = lag,
            LagSeconds = lagSeconds,
            OutboxDepth = depth,
            OldestPendingAgeSeconds = oldest,
            SentAtUnixMs = sent,
        });
}
