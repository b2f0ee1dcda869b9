using CsCheck;
using MessagePack;

namespace Cortex.SyncProtocol.Tests;

/// <summary>Whatever arrives on the wire, decoding either yields a message or throws MessagePack's exception type,
/// which the hub turns into a failed invocation instead of a crashed connection loop.</summary>
public sealed class GarbageTests
{
    private static readonly Type[] MessageTypes =
        [typeof(Hello), typeof(HelloResult), typeof(ChangeBatch), typeof(EntityChange), typeof(OutboxUpload), typeof(UploadResult),
         typeof(DocumentSyncMessage), typeof(DocumentSyncAnswer), typeof(AwarenessMessage), typeof(PurgeInstruction), typeof(EpochReset), typeof(Heartbeat), typeof(HeadAdvanced)];

    [Fact]
    public void Random_bytes_decode_or_throw_MessagePackSerializationException() =>
        Gen.Select(Gen.Int[0, MessageTypes.Length - 1], Gen.Byte.Array[0, 200]).Sample((typeIndex, bytes) => Decode(MessageTypes[typeIndex], bytes), iter: 3000);

    /// <summary>Truncating and flipping bytes of valid messages reaches deeper into the formatters than pure noise.</summary>
    [Fact]
    public void Damaged_valid_messages_decode_or_throw_MessagePackSerializationException() =>
        Gen.Select(Gen.Int[0, Samples.All.Count - 1], Gen.Int[0, 10_000], Gen.Byte, Gen.Bool).Sample((index, cut, flip, truncate) =>
        {
            var sample = Samples.All.Values.ElementAt(index);
            var bytes = MessagePackSerializer.Serialize(sample.GetType(), sample, SyncSerializer.Options);
            var position = cut % bytes.Length;
            if (truncate)
            {
                bytes = bytes[..position];
            }
            else
            {
                bytes[position] ^= (byte)(flip | 1);
            }

            Decode(sample.GetType(), bytes);
        }, iter: 3000);

    [Fact]
    public void A_truncated_message_throws_MessagePackSerializationException()
    {
        var bytes = SyncSerializer.Serialize(Samples.All[nameof(ChangeBatch)]);

        Assert.Throws<MessagePackSerializationException>(() => SyncSerializer.Deserialize<ChangeBatch>(bytes.AsMemory(0, bytes.Length / 2)));
    }

    private static void Decode(Type type, byte[] bytes)
    {
        try
        {
            MessagePackSerializer.Deserialize(type, bytes, SyncSerializer.Options);
        }
        catch (MessagePackSerializationException)
        {
        }
    }
}
