namespace Cortex.SyncProtocol;

public enum HelloStatus
{
    Accepted = 0,
    /// <summary>The server does not speak the client's version; the result names the versions it does. The
    /// connection stays usable for nothing else, so the client stops and reports instead of retrying.</summary>
    IncompatibleVersion = 1,
    /// <summary>The replica's epoch is stale: it must wipe its synced data and bootstrap at the result's epoch.</summary>
    ResetRequired = 2,
    /// <summary>The key belongs to another principal than the replica's data; the replica must be reset.</summary>
    PrincipalMismatch = 3,
}
