using CsCheck;

namespace Cortex.SyncProtocol.Tests;

/// <summary>Records holding arrays compare by reference, so round trips are checked on the re-encoded bytes; records
/// of scalars are also compared by value.</summary>
public sealed class RoundTripTests
{
    private const int Iterations = 300;

    [Fact]
    public void Hello_round_trips() => Generators.Hello.Sample(ByValue, iter: Iterations);

    [Fact]
    public void HelloResult_round_trips() => Generators.HelloResult.Sample(ByValue, iter: Iterations);

    [Fact]
    public void EntityChange_round_trips() => Generators.EntityChange.Sample(m => ByBytes(m), iter: Iterations);

    [Fact]
    public void ChangeBatch_round_trips() => Generators.ChangeBatch.Sample(m => ByBytes(m), iter: Iterations);

    [Fact]
    public void DocumentSyncMessage_round_trips() => Generators.DocumentSyncMessage.Sample(message =>
    {
        var decoded = ByBytes(message);
        Assert.Equal(message.Payload, decoded.Payload);
    }, iter: Iterations);

    [Fact]
    public void DocumentSyncAnswer_round_trips() => Generators.DocumentSyncAnswer.Sample(answer =>
    {
        var decoded = ByBytes(answer);
        Assert.Equal(answer.Step2.Payload, decoded.Step2.Payload);
        Assert.Equal(answer.ServerStep1.Payload, decoded.ServerStep1.Payload);
        Assert.Equal((answer.Writable, answer.ReadOnlyReason), (decoded.Writable, decoded.ReadOnlyReason));
    }, iter: Iterations);

    [Fact]
    public void AwarenessMessage_round_trips() => Generators.AwarenessMessage.Sample(message =>
    {
        var decoded = ByBytes(message);
        Assert.Equal(message.DocumentId, decoded.DocumentId);
        Assert.Equal(message.Payload, decoded.Payload);
    }, iter: Iterations);

    [Fact]
    public void OutboxUpload_round_trips() => Generators.OutboxMutation.Array[0, 6]
        .Select(mutations => new OutboxUpload { Mutations = mutations })
        .Sample(upload => Assert.Equal(upload.Mutations.Select(m => m.ClientId), ByBytes(upload).Mutations.Select(m => m.ClientId)), iter: Iterations);

    [Fact]
    public void MutationVerdict_round_trips() => Generators.MutationVerdict.Sample(ByValue, iter: Iterations);

    [Fact]
    public void UploadResult_round_trips() => Generators.MutationVerdict.Array[0, 6]
        .Select(verdicts => new UploadResult { Verdicts = verdicts })
        .Sample(result => Assert.Equal(result.Verdicts, ByBytes(result).Verdicts), iter: Iterations);

    [Fact]
    public void PurgeInstruction_round_trips() => Generators.PurgeInstruction.Sample(purge =>
    {
        var decoded = ByBytes(purge);
        Assert.Equal(purge.Entities, decoded.Entities);
        Assert.Equal(purge.Scopes, decoded.Scopes);
    }, iter: Iterations);

    [Fact]
    public void Heartbeat_round_trips() => Generators.Heartbeat.Sample(ByValue, iter: Iterations);

    private static void ByValue<T>(T message) => Assert.Equal(message, ByBytes(message));

    private static T ByBytes<T>(T message)
    {
        var bytes = SyncSerializer.Serialize(message);
        var decoded = SyncSerializer.Deserialize<T>(bytes);
        Assert.Equal(bytes, SyncSerializer.Serialize(decoded));
        return decoded;
    }
}
