namespace Cortex.SyncProtocol;

/// <summary>
/// The wire protocol's version. Adding a field at a new <c>[Key]</c> or a new message is compatible and keeps the
/// version; renumbering, removing or changing the meaning of a field is not, and bumps <see cref="Current"/>.
/// </summary>
public static class ProtocolVersion
{
    /// <summary>2: <see cref="EntityChange.PackedEmbedding"/> replaces the float array for clients that speak it.</summary>
    public const int Current = 2;

    /// <summary>The oldest client version this build still serves.</summary>
    public const int MinimumSupported = 1;

    public static bool IsSupported(int version) => version is >= MinimumSupported and <= Current;

    /// <summary>
    /// The server's answer to a client speaking <paramref name="clientVersion"/>: <c>null</c> when it may proceed,
    /// otherwise an <see cref="HelloStatus.IncompatibleVersion"/> result naming the versions the server speaks.
    /// </summary>
    public static HelloResult? CheckCompatibility(int clientVersion) =>
        IsSupported(clientVersion)
            ? null
            : new HelloResult
            {
                Status = HelloStatus.IncompatibleVersion,
                ServerProtocolVersion = Current,
                MinimumSupportedVersion = MinimumSupported,
                Message = $"protocol version {clientVersion} is not supported; this server speaks versions {MinimumSupported} to {Current}",
            };
}
