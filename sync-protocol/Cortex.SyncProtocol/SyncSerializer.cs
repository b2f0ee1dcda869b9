using MessagePack;

namespace Cortex.SyncProtocol;

/// <summary>
/// The serializer settings of the sync wire: the standard resolver (contracts carry their own integer keys) with the
/// untrusted-data guards on, since both ends treat what they receive as hostile. SignalR's MessagePack hub protocol
/// should be configured with <see cref="Options"/> so the hub and the golden files agree.
/// </summary>
public static class SyncSerializer
{
    public static MessagePackSerializerOptions Options { get; } =
        MessagePackSerializerOptions.Standard.WithSecurity(MessagePackSecurity.UntrustedData);

    public static byte[] Serialize<T>(T message) => MessagePackSerializer.Serialize(message, Options);

    /// <exception cref="MessagePackSerializationException">the bytes are not a valid <typeparamref name="T"/>.</exception>
    public static T Deserialize<T>(ReadOnlyMemory<byte> bytes) => MessagePackSerializer.Deserialize<T>(bytes, Options);
}
