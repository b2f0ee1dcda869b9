namespace Cortex.CoreServer;

/// <summary>Sync hub messages. Event ids: 7xx.</summary>
internal static partial class Log
{
    [LoggerMessage(701, LogLevel.Warning, "Listening for feed commits failed; reconnecting")]
    public static partial void FeedListenFailed(ILogger logger, Exception exception);

    [LoggerMessage(702, LogLevel.Information, "Replica {ReplicaId} of principal {PrincipalId} connected at cursor {Cursor}, epoch {Epoch}")]
    public static partial void ReplicaHello(ILogger logger, string replicaId, string principalId, long cursor, long epoch);

    [LoggerMessage(703, LogLevel.Information, "Sync epoch of principal {PrincipalId} bumped to {Epoch}: {Reason}")]
    public static partial void EpochBumped(ILogger logger, string principalId, long epoch, string reason);

    [LoggerMessage(704, LogLevel.Information, "Replica {ReplicaId} lost access to {Count} private subcortex(es); purge sent")]
    public static partial void ReplicaPurged(ILogger logger, string replicaId, int count);
}
