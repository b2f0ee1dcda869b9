using Cortex.SharedModel.Principals;

namespace Cortex.CoreServer.Auth;

/// <summary>What authentication needs to know about a key, loaded by prefix.</summary>
internal sealed record CachedKey(
    string KeyId,
    byte[] SecretHash,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset? RevokedAt,
    Principal Principal);
